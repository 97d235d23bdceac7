import { loadLogId } from "@mcp-persist/keys";
import type { Clock } from "./clock";
import type { BypassReason, CacheEvent, StoreOperation } from "./events";
import { type Logger, silentLogger } from "./logger";
import type { Counters } from "./stats";
import { ThrottledWarnings } from "./throttled-warning";

/** What telemetry needs to know about the tool a call belongs to. */
export interface Labelled {
  readonly name: string;
  readonly counters: Counters;
}

/**
 * Counting, events and logs in one place. Counters are always kept; per-call events are only
 * built when someone listens (an `onEvent` hook or a logger with debug enabled), so the hit path
 * allocates nothing for them by default. Never awaits the logger.
 */
export class Telemetry {
  readonly #logger: Logger;
  readonly #onEvent: ((event: CacheEvent) => void) | undefined;
  readonly #warnings: ThrottledWarnings;
  #logId: ((key: string) => string) | undefined;

  constructor(logger: Logger, onEvent: ((event: CacheEvent) => void) | undefined, clock: Clock) {
    this.#logger = logger;
    this.#onEvent = onEvent;
    this.#warnings = new ThrottledWarnings(logger, clock);
    if (onEvent !== undefined || logger !== silentLogger) {
      // xxhash loads asynchronously (wasm); until it has, events go out without a logId.
      loadLogId().then(
        (logId) => {
          this.#logId = logId;
        },
        (error: unknown) => logger.warn({ err: error }, "cache log ids unavailable; events carry no logId"),
      );
    }
  }

  /** A hit from the store. */
  hit(tool: Labelled, key: string): void {
    tool.counters.hits++;
    if (this.#verbose()) this.#trace({ type: "hit", tool: tool.name, logId: this.#logIdOf(key), tier: "l2" });
  }

  /** A hit from the in-process first tier. */
  l1Hit(tool: Labelled, key: string): void {
    tool.counters.hits++;
    tool.counters.l1Hits++;
    if (this.#verbose()) this.#trace({ type: "hit", tool: tool.name, logId: this.#logIdOf(key), tier: "l1" });
  }

  miss(tool: Labelled, key: string): void {
    tool.counters.misses++;
    if (this.#verbose()) this.#trace({ type: "miss", tool: tool.name, logId: this.#logIdOf(key) });
  }

  stale(tool: Labelled, key: string, reason: "revalidate" | "error"): void {
    tool.counters.stale++;
    if (this.#verbose()) this.#trace({ type: "stale", tool: tool.name, logId: this.#logIdOf(key), reason });
  }

  coalesced(tool: Labelled, key: string, scope: "process" | "fleet" = "process"): void {
    tool.counters.coalesced++;
    if (this.#verbose()) {
      this.#trace({ type: "coalesced", tool: tool.name, logId: this.#logIdOf(key), scope });
    }
  }

  bypass(tool: Labelled, reason: BypassReason, key?: string): void {
    tool.counters.bypass[reason]++;
    if (this.#verbose()) {
      this.#trace({
        type: "bypass",
        tool: tool.name,
        logId: key === undefined ? undefined : this.#logIdOf(key),
        reason,
      });
    }
  }

  set(tool: Labelled, key: string, ttlMs: number): void {
    if (this.#verbose()) this.#trace({ type: "set", tool: tool.name, logId: this.#logIdOf(key), ttlMs });
  }

  /** A store call failed or timed out: counted, reported, and logged as a (throttled) warning. */
  storeError(tool: Labelled, operation: StoreOperation, error: unknown): void {
    tool.counters.errors++;
    this.#emit({ type: "error", tool: tool.name, operation, error });
    this.warn(
      `cache_store_${operation}_failed`,
      { tool: tool.name, operation, err: error },
      "cache store call failed; went on without the cache",
    );
  }

  refreshFailed(tool: Labelled, key: string, error: unknown): void {
    const logId = this.#logIdOf(key);
    this.#emit({ type: "refresh-failed", tool: tool.name, logId, error });
    this.warn(
      "cache_refresh_failed",
      { tool: tool.name, logId, err: error },
      "cache background refresh failed; kept the stale value",
    );
  }

  invalidated(target: "key" | "tool" | "scope" | "namespace", tool?: string): void {
    const event: CacheEvent = { type: "invalidate", target, tool };
    this.#emit(event);
    this.#logger.info(event, "cache invalidated");
  }

  /**
   * Logs a warning with `event: kind` (snake_case) and the error in `err`, at most once per
   * `WARN_EVERY_MS` per kind, counting what it held back: see {@link ThrottledWarnings}.
   */
  warn(kind: string, fields: Record<string, unknown>, message: string): void {
    this.#warnings.warn(kind, fields, message);
  }

  #verbose(): boolean {
    return this.#onEvent !== undefined || this.#logger.isLevelEnabled?.("debug") !== false;
  }

  #logIdOf(key: string): string | undefined {
    return this.#logId?.(key);
  }

  #trace(event: CacheEvent): void {
    this.#emit(event);
    this.#logger.debug(event, `cache ${event.type}`);
  }

  #emit(event: CacheEvent): void {
    if (this.#onEvent === undefined) return;
    try {
      this.#onEvent(event);
    } catch (error) {
      this.#logger.error(
        { err: error },
        "cache onEvent hook threw; fix the hook (the call was not affected)",
      );
    }
  }
}
