import assert from "node:assert/strict";
import { createHook } from "node:async_hooks";
import { sleep } from "./conformance-support";

/** The handles of a connection: TCP (TLS runs over one) and Unix domain sockets. */
const CONNECTION_HANDLES = new Set(["TCPWRAP", "PIPEWRAP"]);

/**
 * Sees every connection opened while it watches, and which are still open. An open connection
 * keeps the process alive, so a closed store must leave none behind. Counting
 * `process.getActiveResourcesInfo()` cannot tell a store's socket from one a test harness is
 * still closing; an async hook sees exactly which handles were created, and when each closed.
 */
export class ConnectionWatch {
  readonly #open = new Set<number>();
  readonly #hook = createHook({
    init: (id, type) => {
      if (CONNECTION_HANDLES.has(type)) this.#open.add(id);
    },
    destroy: (id) => {
      this.#open.delete(id);
    },
  });

  constructor() {
    this.#hook.enable();
  }

  /** Fails unless every connection opened since the watch began is closed within `ms`. */
  async closedWithin(ms: number, what: string): Promise<void> {
    const until = performance.now() + ms;
    while (this.#open.size > 0 && performance.now() < until) await sleep(10);
    assert.equal(
      this.#open.size,
      0,
      `${what}: ${this.#open.size} connection(s) the store opened were still open ${ms} ms later, and would keep the process alive`,
    );
  }

  /** Stops watching; call it before anything else opens connections (restarting a server). */
  stop(): void {
    this.#hook.disable();
  }
}
