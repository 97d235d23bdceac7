/**
 * Everything the run opened (clients, a redis-server), closed in reverse order when it ends:
 * normally, on an error, or on Ctrl-C. A close that fails does not stop the others.
 */
export class Cleanup {
  readonly #tasks: (() => unknown)[] = [];
  #running: Promise<void> | undefined;

  defer(close: () => unknown): void {
    this.#tasks.push(close);
  }

  run(): Promise<void> {
    this.#running ??= (async () => {
      for (const close of this.#tasks.reverse()) {
        try {
          await close();
        } catch {
          // Closing is best effort: the next one (stopping the server) matters more.
        }
      }
    })();
    return this.#running;
  }

  /** On SIGINT/SIGTERM: `beforeExit` (clear the status line), close everything, exit 130/143. */
  exitOnSignals(beforeExit: () => void): void {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      // `on`, not `once`: a second Ctrl-C while closing must not fall back to the default (exit at
      // once, leaving a started server to the harness's watchdog).
      process.on(signal, () => {
        if (this.#running !== undefined) return;
        beforeExit();
        process.stderr.write(
          `\n${signal}: stopping; closing connections (and any Redis server this run started)…\n`,
        );
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}
