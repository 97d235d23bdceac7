import { constants } from "node:os";
import type { Closable, StoreLike } from "./close-store";
import { ShutdownTimeoutError } from "./errors";
import type { HttpServerLike } from "./http-servers";
import { createInFlight } from "./in-flight";
import { resolveOptions, type ShutdownOptions } from "./options";
import type { ShutdownPhase } from "./phases";
import { createRegistry, type ShutdownHook } from "./registry";
import { createRequestGate } from "./request-gate";
import { type PhaseProgress, runPhases } from "./run-phases";

export interface Shutdown {
  /**
   * True from the first signal (or `shutdown()` call) on, before any phase has run. Readiness
   * checks read this: `createHealth({ shutdown })`.
   */
  isShuttingDown(): boolean;
  /**
   * Starts the shutdown as a signal would; later calls return the same promise. Resolves with
   * the exit code once `exit` has been called (with the default `exit`, the process ends first).
   */
  shutdown(reason?: string): Promise<number>;
  /**
   * A listening `node:http` / `node:https` server. Nothing else needs wiring:
   * - each of its requests is in-flight work until its response closes (GETs that open an
   *   event stream excepted: they last the whole session), and `drain` waits for them;
   * - from the first signal on, its responses carry `Connection: close`, so kept-alive
   *   connections end after the response they carry;
   * - it stops accepting in `stop-accepting`; a request that arrives after that on a connection
   *   it still holds is answered `503` with `Connection: close`, not served;
   * - the connections it still has (event streams) are ended in `close-transports`.
   *
   * Returns a function that unregisters it.
   */
  addServer(server: HttpServerLike): () => void;
  /**
   * An MCP transport (anything with `close()`), closed in `close-transports`. Register each
   * session's transport and unregister it from its `onclose`. Returns the unregister function.
   */
  addTransport(transport: Closable): () => void;
  /**
   * A store or client, closed in `close-stores` with its draining close: `close()` when it has
   * one (mcp-persist Store, node-redis v5+), else `quit()` (ioredis, node-redis v4). Stores
   * close newest first. Returns a function that unregisters it.
   */
  addStore(store: StoreLike): () => void;
  /** Counts one unit of in-flight work until the returned function is called; `drain` waits for it. */
  enter(): () => void;
  /** Counts `work` as in flight until it settles; returns it unchanged. */
  track<Work extends PromiseLike<unknown>>(work: Work): Work;
  /** Runs `hook` when `phase` begins, before the phase's own step. Returns a function that removes it. */
  on(phase: ShutdownPhase, hook: ShutdownHook): () => void;
}

/**
 * Ordered graceful shutdown: installs handlers for `signals` (SIGTERM and SIGINT by default)
 * and, on the first one, runs the phases in `PHASES` order, then exits 0, or 1 when
 * `timeoutMs` ran out or a step failed.
 */
export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  const config = resolveOptions(options);
  const { logger } = config;
  const registry = createRegistry();
  const inFlight = createInFlight();
  const gate = createRequestGate(inFlight);
  let shuttingDown = false;
  let running: Promise<number> | undefined;
  // Set when the shutdown starts; a second signal uses it to exit at once.
  let finish: ((code: number, fields: Record<string, unknown>, message: string) => void) | undefined;

  const start = (reason: string) =>
    new Promise<number>((resolve) => {
      const startedAt = performance.now();
      const progress: PhaseProgress = { phase: "not-ready", aborted: false };
      // Exactly once, whichever comes first: the phases ending, the timeout, a second signal.
      let finished = false;
      const end = (code: number, fields: Record<string, unknown>, message: string) => {
        if (finished) return;
        finished = true;
        progress.aborted = true;
        clearTimeout(timer);
        logger.info(
          {
            event: "shutdown_exit",
            reason,
            ...fields,
            code,
            durationMs: Math.round(performance.now() - startedAt),
          },
          message,
        );
        resolve(code);
        config.exit(code);
      };
      finish = end;
      logger.info(
        {
          event: "shutdown_started",
          reason,
          inFlight: inFlight.size,
          servers: registry.servers.size,
          transports: registry.transports.size,
          stores: registry.stores.size,
        },
        `shutdown started (${reason})`,
      );
      // Kept referenced on purpose: if a hung step left nothing else on the event loop, Node
      // would otherwise exit by itself with code 0 and no word about what hung.
      const timer = setTimeout(() => {
        const err = new ShutdownTimeoutError(progress.phase, config.timeoutMs);
        logger.error(
          { event: "shutdown_timeout", phase: progress.phase, timeoutMs: config.timeoutMs, err },
          err.message,
        );
        end(1, { phase: progress.phase }, "shutdown timed out; exiting with code 1");
      }, config.timeoutMs);
      runPhases({ ...config, registry, inFlight, gate }, progress)
        // Every step catches its own errors; only a throwing logger can land here.
        .catch(() => false)
        .then((succeeded) => {
          const code = succeeded ? 0 : 1;
          end(code, {}, `shutdown finished; exiting with code ${code}`);
        });
    });

  const shutdown = (reason = "shutdown() called"): Promise<number> => {
    if (running === undefined) {
      // Before start(): the first hook runs synchronously inside it and must already see true.
      shuttingDown = true;
      gate.closeConnections();
      running = start(reason);
    }
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (!shuttingDown) {
      void shutdown(signal);
      return;
    }
    // The operator asked twice: stop waiting. 128 + n is what a shell reports for a signal death.
    finish?.(
      128 + constants.signals[signal],
      { signal },
      `second signal (${signal}) during shutdown; exiting now`,
    );
  };
  for (const signal of config.signals) process.on(signal, onSignal);
  if (config.stdin) process.stdin.once("end", () => void shutdown("stdin ended"));

  return {
    isShuttingDown: () => shuttingDown,
    shutdown,
    addServer(server) {
      const unregister = registry.addServer(server);
      const detach = gate.attach(server);
      return () => {
        unregister();
        detach();
      };
    },
    addTransport: registry.addTransport,
    addStore: registry.addStore,
    enter: inFlight.enter,
    track: inFlight.track,
    on: registry.on,
  };
}
