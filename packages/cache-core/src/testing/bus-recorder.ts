import assert from "node:assert/strict";
import type { BusListener } from "../bus";
import { sleep } from "./conformance-support";

/** What a bus listener was told, in order: `m:<message>`, `listening`, `interrupted`. */
export class BusRecorder implements BusListener {
  readonly events: string[] = [];

  message(message: string): void {
    this.events.push(`m:${message}`);
  }

  listening(): void {
    this.events.push("listening");
  }

  interrupted(): void {
    this.events.push("interrupted");
  }

  /** The messages heard, in order. */
  get messages(): string[] {
    return this.events.filter((e) => e.startsWith("m:")).map((e) => e.slice(2));
  }

  count(event: string): number {
    return this.events.filter((e) => e === event).length;
  }
}

/** Resolves once `done()` holds, checking every 10 ms; fails the test after `ms`. */
export async function until(what: string, done: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) assert.fail(`${what} did not happen within ${ms} ms`);
    await sleep(10);
  }
}
