import { setImmediate as nextTurn } from "node:timers/promises";
import { afterAll, beforeAll } from "vitest";

/**
 * Collects the process's unhandled rejections while this file runs, so a property can fail on the
 * input that caused one (and fast-check shrink it) instead of vitest reporting it with no input.
 */
export function watchUnhandled(): { since(): Promise<unknown[]> } {
  const seen: unknown[] = [];
  const record = (reason: unknown) => seen.push(reason);
  beforeAll(() => void process.on("unhandledRejection", record));
  afterAll(() => void process.off("unhandledRejection", record));
  return {
    /** The rejections left unhandled since the last call, after letting pending callbacks run. */
    async since() {
      await nextTurn();
      await nextTurn();
      return seen.splice(0);
    },
  };
}
