import { warnDeprecated } from "@mcp-persist/internal";
import { type Caller, KeyError } from "@mcp-persist/keys";
import { CacheFill, fillCall, NO_STALE, type Policy } from "./cache-fill";
import { type CacheKey, callerOf, KeyLayout, type ResolvedKey, type ToolState } from "./cache-key";
import type { CacheOptions, WrapOptions } from "./cache-options";
import { nonNegative } from "./check-option";
import { DecodedValues } from "./decoded-values";
import { freshUntil, payloadStart } from "./envelope";
import { Generations } from "./generations";
import type { L1Tier } from "./l1-tier";
import { type ResolvedOptions, resolveOptions } from "./resolve-options";
import { SharedReads } from "./shared-reads";
import { type CacheStats, snapshotStats } from "./stats";
import type { Store } from "./store";
import { Telemetry } from "./telemetry";
import { Tiers } from "./tiers";
import { requireCallerOption, toolDefaults } from "./tool-policy";
import { assertTtlMs } from "./ttl";
import { checkSignal, untilAborted } from "./until-aborted";
import { type WarmEntry, type WarmResult, warmEntries } from "./warm";
import { assertDeleteKey, assertWrapOptions, invalidKey, notAFunction } from "./wrap-arguments";

const PKG = "@mcp-persist/cache-core";

/** The tool-result cache: see {@link createCache}. */
export interface Cache {
  /**
   * Returns the cached result for `key`, or calls `fn`, stores its result and returns it.
   * Never throws a store error: a failing or slow store (past `storeTimeoutMs`) makes the call go on
   * without the cache. Rejects only with `fn`'s own error, or a typed error for bad options.
   * Concurrent calls for one key share one `fn` call (single-flight: in this process, or across
   * processes with `singleFlight: "fleet"`). With
   * `options.signal`, this call stops waiting when it aborts (rejects with the signal's reason);
   * the shared `fn` call goes on for the others, and its result is still stored.
   */
  wrap<T>(key: CacheKey, fn: () => T | Promise<T>, options?: WrapOptions<T>): Promise<T>;
  /** Removes one entry; resolves `true` if there was one. Store errors reject. */
  delete(key: CacheKey): Promise<boolean>;
  /** Invalidates every entry of a tool (all versions, all callers) in O(1). Store errors reject. */
  invalidateTool(tool: string): Promise<void>;
  /** Invalidates every entry keyed on this caller, across tools, in O(1). Store errors reject. */
  invalidateCaller(caller: Caller): Promise<void>;
  /**
   * @deprecated Renamed `invalidateCaller` (same entries); still works, with a one-time
   * DeprecationWarning, until the next major.
   */
  invalidateScope(scope: Caller): Promise<void>;
  /** Invalidates every entry in this cache's namespace, in O(1). Store errors reject. */
  invalidateAll(): Promise<void>;
  /** Fills the cache at start-up: `wrap`s each entry, `concurrency` at a time. Never rejects. */
  warm(entries: Iterable<WarmEntry>, options?: { concurrency?: number }): Promise<WarmResult>;
  /**
   * Resolves once this cache hears the other processes on its store: with `l1` or fleet
   * single-flight on a shared store, when its coherence channel first listens (a copy served
   * before then may miss another process's invalidation for up to `l1.ttlMs`); at once otherwise.
   * Never rejects: while the store is unreachable it waits (race it with a timeout at startup).
   */
  ready(): Promise<void>;
  /** Counts per tool and in total, with hit rates. */
  stats(): CacheStats;
  /** The store this cache uses. */
  readonly store: Store;
}

function noop(): void {}

/** The `KeyError` code, when that is what was thrown: all an unkeyable call's warning says of it. */
function keyErrorCode(error: unknown): string | undefined {
  try {
    return error instanceof KeyError ? error.code : undefined;
  } catch {
    return undefined; // a Proxy thrown from a getter in the arguments: nothing to add
  }
}

/**
 * Creates a cache-aside cache for tool results on any {@link Store}.
 *
 * ```ts
 * const cache = createCache({ store: lruStore({ max: 10_000 }), defaultTtlMs: 60_000 });
 * const result = await cache.wrap({ tool: "search_docs", args }, () => searchDocs(args));
 * ```
 * @throws {InvalidTtlError | InvalidOptionError} for invalid options.
 */
export function createCache(options: CacheOptions): Cache {
  return new ToolCache(resolveOptions(options));
}

class ToolCache implements Cache {
  readonly store: Store;
  readonly #options: ResolvedOptions;
  readonly #layout: KeyLayout;
  readonly #telemetry: Telemetry;
  readonly #generations: Generations;
  readonly #fill: CacheFill;
  readonly #reads: SharedReads;
  readonly #decoded: DecodedValues;
  /** The first tier, the coherence channel and the fleet-wide single-flight; each off by default. */
  readonly #tiers: Tiers;
  /** `#tiers.l1`, read on every call. */
  readonly #l1: L1Tier | undefined;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.store = options.store;
    this.#layout = new KeyLayout(options, toolDefaults(options));
    const telemetry = new Telemetry(options.logger, options.onEvent, options.clock);
    this.#telemetry = telemetry;
    this.#reads = new SharedReads(options.storeCaller);
    this.#decoded = new DecodedValues(options.codec);
    const ttl = [options.generationTtlMs];
    const generations = new Generations(
      (script, key) => options.storeCaller.run(script, [key], ttl),
      options.generationRefreshMs,
      options.clock,
    );
    this.#generations = generations;
    const tiers = new Tiers({
      options,
      telemetry,
      generations,
      decoded: this.#decoded,
      reads: this.#reads,
      decode: (tool, key, envelope, start) => this.#decode(tool, key, envelope, start),
      undecodable: NO_STALE,
    });
    this.#tiers = tiers;
    this.#l1 = tiers.l1;
    this.#fill = new CacheFill(options, telemetry, tiers.fill);
  }

  wrap<T>(key: CacheKey, fn: () => T | Promise<T>, options?: WrapOptions<T>): Promise<T> {
    if (typeof fn !== "function") return Promise.reject(notAFunction(fn));
    if (options !== undefined) {
      try {
        assertWrapOptions(options);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (options?.signal === undefined) return this.#wrap(key, fn, options);
    let signal: AbortSignal;
    try {
      signal = checkSignal(PKG, options.signal);
    } catch (error) {
      return Promise.reject(error); // bad options reject, like every other mistake wrap reports
    }
    // Cancelled before it started: nothing to run, nothing to join.
    if (signal.aborted) return Promise.reject(signal.reason);
    return untilAborted(this.#wrap(key, fn, options), signal);
  }

  // The steps of a call, each one concern: which tool, which policy, may it be cached, which key,
  // join a running call, read the entry (and its generations), then answer from the entry or fill.
  // Only this method awaits, so a hit costs one promise (two with an asynchronous store's read).
  async #wrap<T>(key: CacheKey, fn: () => T | Promise<T>, options: WrapOptions<T> | undefined): Promise<T> {
    const tool = this.#toolOf(key, options);
    if (options?.bypass === true) return this.#bypass(tool, "policy", fn);
    // Read here, not only when keying: a call with both `caller` and `scope` is a typed error.
    const caller = typeof key === "string" ? undefined : callerOf(key);
    const requireCaller = this.#requireCaller(tool, options);
    const policy = options === undefined ? tool.policy : this.#policy(options, tool.policy);
    if (requireCaller && caller === undefined) {
      return this.#bypass(tool, "no-scope", fn);
    }
    const resolved = this.#keyOf(key, tool);
    if (resolved === undefined) return this.#bypass(tool, "unkeyable", fn);
    // Joining a running call before asking the store also closes the window in which our GET
    // could miss just before that call stores its result.
    const running = this.#fill.running(resolved.key);
    if (running !== undefined) {
      this.#telemetry.coalesced(tool, resolved.key);
      return running as Promise<T>;
    }

    const now = this.#options.clock.now();
    let token = this.#generations.current(resolved.genKeys, now);
    // The first tier, when on: a copy of the current generations is the answer, with no promise.
    // (Generations due for a refresh go through the store read below, which re-admits the copy.)
    const l1 = this.#l1;
    let ticket = 0;
    if (l1 !== undefined) {
      const value = this.#tiers.fromL1(l1, tool, resolved.key, token, now);
      if (value !== NO_STALE) return value as T;
      ticket = l1.ticket();
    }
    const reading = this.#read(resolved.key);
    if (token === undefined) {
      // Generations are due for a refresh: read them alongside the entry, not after it. The entry
      // read may fail while we wait; mark it handled now (it is still awaited below).
      if (typeof reading === "object") reading.catch(noop);
      try {
        token = await this.#generations.fetch(resolved.genKeys);
      } catch (error) {
        this.#telemetry.storeError(tool, "generation", error);
        // A counter that cannot be read (the store is down, or on a Cluster the one node that
        // holds it) cannot be moved through this store either: the generations last read stand.
        // A first-tier copy of them is served (for at most l1.ttlMs), and the entry is still
        // worth reading: on a Cluster it may live on a node that is up. Never read: no cache.
        const known = this.#generations.lastKnown(resolved.genKeys);
        if (known === undefined) {
          return this.#fill.run(fillCall(resolved, tool, policy), fn, undefined, NO_STALE, false);
        }
        if (l1 !== undefined) {
          const kept = this.#tiers.fromL1(l1, tool, resolved.key, known, now);
          if (kept !== NO_STALE) return kept as T;
        }
        token = known;
      }
    }
    let envelope: string | undefined;
    try {
      envelope = typeof reading === "object" ? await reading : reading;
    } catch (error) {
      this.#telemetry.storeError(tool, "get", error);
      return this.#fill.run(fillCall(resolved, tool, policy), fn, undefined, NO_STALE, false);
    }
    return this.#answer(envelope, token, now, resolved, tool, policy, fn, ticket);
  }

  async delete(key: CacheKey): Promise<boolean> {
    assertDeleteKey(key);
    const call = typeof key === "string" ? undefined : key;
    const layout = this.#layout;
    const storageKey =
      call === undefined ? layout.stringKey(key as string) : layout.callKey(call, layout.tool(call.tool)).key;
    this.#tiers.dropLocal(storageKey);
    const removed = await this.#options.storeCaller.delete(storageKey);
    await this.#tiers.deleted(storageKey);
    this.#telemetry.invalidated("key", call?.tool);
    return removed;
  }

  async invalidateTool(tool: string): Promise<void> {
    await this.#bump(this.#layout.toolGenKey(tool));
    this.#telemetry.invalidated("tool", tool);
  }

  async invalidateCaller(caller: Caller): Promise<void> {
    await this.#bump(this.#layout.callerGenKey(caller));
    this.#telemetry.invalidated("scope");
  }

  invalidateScope(scope: Caller): Promise<void> {
    warnDeprecated(PKG, "cache.invalidateScope()", "cache.invalidateCaller()");
    return this.invalidateCaller(scope);
  }

  async invalidateAll(): Promise<void> {
    await this.#bump(this.#layout.namespaceGenKey);
    this.#telemetry.invalidated("namespace");
  }

  /** Moves a generation forward, here at once, then tells the other processes. */
  async #bump(genKey: string): Promise<void> {
    await this.#generations.bump(genKey);
    await this.#tiers.bumped(genKey);
  }

  warm(entries: Iterable<WarmEntry>, options?: { concurrency?: number }): Promise<WarmResult> {
    return warmEntries(this, entries, options?.concurrency ?? 4, this.#telemetry);
  }

  ready(): Promise<void> {
    return this.#tiers.coherence?.listened ?? Promise.resolve();
  }

  stats(): CacheStats {
    return snapshotStats(this.#layout.tools.values());
  }

  /** The tool this call counts under; a key that is neither a string nor a tool call is a typed error. */
  #toolOf<T>(key: CacheKey, options: WrapOptions<T> | undefined): ToolState {
    if (typeof key === "string") return this.#layout.tool(options?.tool);
    if (typeof key?.tool !== "string") throw invalidKey("wrap", key);
    return this.#layout.tool(key.tool);
  }

  /** The call's own setting, else its tool's, else the cache's: no call site can forget it. */
  #requireCaller<T>(tool: ToolState, options: WrapOptions<T> | undefined): boolean {
    if (options === undefined) return tool.requireCaller;
    return requireCallerOption(options, "", "wrap(key, fn, { requireScope })") ?? tool.requireCaller;
  }

  /**
   * The storage key and generation keys, or `undefined` when the call cannot be keyed (bad
   * arguments, a caller that is not one, an empty tool name…): logged, and the call goes on
   * without the cache, which is an optimisation.
   */
  #keyOf(key: CacheKey, tool: ToolState): ResolvedKey | undefined {
    try {
      return this.#layout.resolve(key, tool);
    } catch (error) {
      // The code, not the error: a KeyError's message and `path` name the argument members on
      // the way to the problem, and arguments are the caller's data.
      this.#telemetry.warn(
        "cache_unkeyable",
        { tool: tool.name, code: keyErrorCode(error) },
        "cache bypassed: the call cannot be keyed",
      );
      return undefined;
    }
  }

  /**
   * The stored entry: at once from an in-process store (no promise, no deadline: a synchronous
   * call cannot hang), else one bounded read shared by concurrent hits on the key. Never throws.
   */
  #read(key: string): string | undefined | Promise<string | undefined> {
    try {
      return this.store.getSync !== undefined ? this.store.getSync(key) : this.#reads.get(key);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A fresh entry of the current generations is the answer; an expired one within its grace
   * window is served stale; anything else (missing, undecodable, of an older generation) fills.
   */
  #answer<T>(
    envelope: string | undefined,
    token: string,
    now: number,
    resolved: ResolvedKey,
    tool: ToolState,
    policy: Policy<T>,
    fn: () => T | Promise<T>,
    ticket: number,
  ): T | Promise<T> {
    const start = envelope === undefined ? 0 : payloadStart(envelope, token);
    if (start > 0) {
      const value = this.#decode(tool, resolved.key, envelope as string, start);
      if (value !== NO_STALE) {
        const until = freshUntil(envelope as string);
        if (now < until) {
          this.#l1?.admit(resolved.key, envelope as string, until, now, ticket);
          this.#telemetry.hit(tool, resolved.key);
          return value as T;
        }
        if (policy.staleTtlMs > 0) {
          return this.#fill.serveStale(fillCall(resolved, tool, policy), fn, token, value as T);
        }
      }
    }
    return this.#fill.run(fillCall(resolved, tool, policy), fn, token, NO_STALE, true);
  }

  /** The per-call policy over the tool's, checked: a bad TTL is a typed error at the call site, hit or miss. */
  #policy<T>(options: WrapOptions<T>, defaults: Policy<T>): Policy<T> {
    const { ttlMs, staleTtlMs, isError } = options;
    if (ttlMs === undefined && staleTtlMs === undefined && isError === undefined) return defaults;
    if (ttlMs !== undefined) assertTtlMs(ttlMs, PKG);
    return {
      ttlMs: ttlMs ?? defaults.ttlMs,
      staleTtlMs: staleTtlMs === undefined ? defaults.staleTtlMs : nonNegative("staleTtlMs", staleTtlMs),
      isError: isError ?? defaults.isError,
    };
  }

  async #bypass<T>(
    tool: ToolState,
    reason: "policy" | "no-scope" | "unkeyable",
    fn: () => T | Promise<T>,
  ): Promise<T> {
    this.#telemetry.bypass(tool, reason);
    return fn();
  }

  #decode(tool: ToolState, key: string, envelope: string, start: number): unknown {
    try {
      return this.#decoded.decode(key, envelope, start);
    } catch (error) {
      this.#telemetry.warn(
        "cache_decode_failed",
        { tool: tool.name, err: error },
        "cache entry could not be decoded; treated as a miss",
      );
      return NO_STALE;
    }
  }
}
