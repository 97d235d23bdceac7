import { type CallerScope, describeValue, KeyError } from "@mcp-persist/keys";
import { CacheFill, callOf, NO_STALE, type Policy } from "./cache-fill";
import { type CacheKey, KeyLayout, type ResolvedKey, type ToolState } from "./cache-key";
import type { CacheOptions, WrapOptions } from "./cache-options";
import { boolean, nonNegative } from "./check-option";
import { boundedCall } from "./deadline";
import { freshUntil, payloadStart } from "./envelope";
import { InvalidOptionError, UnsupportedError } from "./errors";
import { Generations } from "./generations";
import { type ResolvedOptions, resolveOptions } from "./resolve-options";
import { SharedReads } from "./shared-reads";
import { type CacheStats, snapshotStats } from "./stats";
import type { Store } from "./store";
import { Telemetry } from "./telemetry";
import { toolDefaults } from "./tool-policy";
import { assertTtlMs } from "./ttl";
import { type WarmEntry, type WarmResult, warmEntries } from "./warm";

const PKG = "@mcp-persist/cache-core";

/** The tool-result cache: see {@link createCache}. */
export interface Cache {
  /**
   * Returns the cached result for `key`, or calls `fn`, stores its result and returns it.
   * Never throws a store error: a failing or slow store (past `opTimeoutMs`) makes the call go on
   * without the cache. Rejects only with `fn`'s own error, or a typed error for bad options.
   * Concurrent calls for one key share one `fn` call (single-flight, in this process).
   */
  wrap<T>(key: CacheKey, fn: () => T | Promise<T>, options?: WrapOptions<T>): Promise<T>;
  /** Removes one entry; resolves `true` if there was one. Store errors reject. */
  delete(key: CacheKey): Promise<boolean>;
  /** Invalidates every entry of a tool (all versions, all callers) in O(1). Store errors reject. */
  invalidateTool(tool: string): Promise<void>;
  /** Invalidates every entry keyed on this caller scope, across tools, in O(1). Store errors reject. */
  invalidateScope(scope: CallerScope): Promise<void>;
  /** Invalidates every entry in this cache's namespace, in O(1). Store errors reject. */
  invalidateAll(): Promise<void>;
  /** Fills the cache at start-up: `wrap`s each entry, `concurrency` at a time. Never rejects. */
  warm(entries: Iterable<WarmEntry>, options?: { concurrency?: number }): Promise<WarmResult>;
  /** Counts per tool and in total, with hit rates. */
  stats(): CacheStats;
  /** The store this cache uses. */
  readonly store: Store;
}

function noop(): void {}

/** The `KeyError` code, when that is what was thrown (logged; anything else is logged as is). */
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
  readonly #o: ResolvedOptions;
  readonly #layout: KeyLayout;
  readonly #tel: Telemetry;
  /** Undefined when the store runs no scripts: entries then carry an empty generation token. */
  readonly #gens: Generations | undefined;
  readonly #fill: CacheFill;
  readonly #reads: SharedReads;

  constructor(options: ResolvedOptions) {
    this.#o = options;
    this.store = options.store;
    this.#layout = new KeyLayout(options, toolDefaults(options));
    this.#tel = new Telemetry(options.logger, options.onEvent, options.clock);
    this.#fill = new CacheFill(options, this.#tel);
    this.#reads = new SharedReads(options.store, options.bound);
    const ttl = [options.generationTtlMs];
    this.#gens = options.store.capabilities.scripts
      ? new Generations(
          (script, key) =>
            boundedCall(() => options.store.run(script, [key], ttl), options.bound, `run(${script.name})`),
          options.generationRefreshMs,
          options.clock,
        )
      : undefined;
  }

  async wrap<T>(key: CacheKey, fn: () => T | Promise<T>, options?: WrapOptions<T>): Promise<T> {
    const isCall = typeof key !== "string";
    if (isCall && typeof key?.tool !== "string") {
      throw new InvalidOptionError(
        PKG,
        `wrap() takes a string key or { tool, args, scope? }, got ${describeValue(key)}`,
      );
    }
    const tool = this.#layout.tool(isCall ? key.tool : options?.tool);
    // The call's own setting, else its tool's, else the cache's: set once per tool or per cache,
    // no call site can forget it.
    let requireScope = tool.requireScope;
    let policy: Policy<T> = tool.policy;
    if (options !== undefined) {
      if (options.bypass === true) return this.#bypass(tool, "policy", fn);
      if (options.requireScope !== undefined) requireScope = boolean("requireScope", options.requireScope);
      policy = this.#policy(options, policy);
    }
    if (requireScope && (!isCall || key.scope === undefined)) return this.#bypass(tool, "no-scope", fn);
    let resolved: ResolvedKey;
    try {
      resolved = this.#layout.resolve(key, tool);
    } catch (error) {
      // Bad arguments, a scope that is not one, an empty tool name, or anything else that keeps a
      // key from being built: the cache is an optimisation, so the call goes on without it.
      this.#tel.warn(
        "unkeyable",
        { tool: tool.name, code: keyErrorCode(error), err: error },
        "cache bypassed: the call cannot be keyed",
      );
      return this.#bypass(tool, "unkeyable", fn);
    }
    const storageKey = resolved.key;
    // Joining a running call before asking the store also closes the window in which our GET
    // could miss just before that call stores its result.
    const running = this.#fill.running(storageKey);
    if (running !== undefined) {
      this.#tel.coalesced(tool, storageKey);
      return running as Promise<T>;
    }

    const now = this.#o.clock.now();
    let token = this.#gens === undefined ? "" : this.#gens.current(resolved.genKeys, now);
    // In-process stores answer synchronously: no promise, no deadline (a synchronous call cannot hang).
    // Others are read once per key at a time: concurrent hits share one round trip.
    let reading: string | undefined | Promise<string | undefined>;
    try {
      reading =
        this.store.getSync !== undefined ? this.store.getSync(storageKey) : this.#reads.get(storageKey);
    } catch (error) {
      reading = Promise.reject(error);
    }
    if (token === undefined) {
      // Generations are due for a refresh: read them alongside the entry, not after it. The entry
      // read may fail while we wait; mark it handled now (it is still awaited below).
      if (typeof reading === "object") reading.catch(noop);
      try {
        token = await (this.#gens as Generations).fetch(resolved.genKeys);
      } catch (error) {
        this.#tel.storeError(tool, "generation", error);
        return this.#fill.run(callOf(resolved, tool, policy), fn, undefined, NO_STALE, false);
      }
    }
    let envelope: string | undefined;
    try {
      envelope = typeof reading === "object" ? await reading : reading;
    } catch (error) {
      this.#tel.storeError(tool, "get", error);
      return this.#fill.run(callOf(resolved, tool, policy), fn, undefined, NO_STALE, false);
    }

    if (envelope !== undefined) {
      const start = payloadStart(envelope, token);
      if (start > 0) {
        const value = this.#decode(tool, envelope.slice(start));
        if (value !== NO_STALE) {
          if (now < freshUntil(envelope)) {
            this.#tel.hit(tool, storageKey);
            return value as T;
          }
          if (policy.staleTtlMs > 0)
            return this.#fill.serveStale(callOf(resolved, tool, policy), fn, token, value as T);
        }
      }
    }
    return this.#fill.run(callOf(resolved, tool, policy), fn, token, NO_STALE, true);
  }

  async delete(key: CacheKey): Promise<boolean> {
    const call = typeof key === "string" ? undefined : key;
    const layout = this.#layout;
    const storageKey =
      call === undefined ? layout.stringKey(key as string) : layout.callKey(call, layout.tool(call.tool)).key;
    const removed = await boundedCall(() => this.store.delete(storageKey), this.#o.bound, "delete");
    this.#tel.invalidated("key", call?.tool);
    return removed;
  }

  async invalidateTool(tool: string): Promise<void> {
    await this.#bump("invalidateTool", this.#layout.toolGenKey(tool));
    this.#tel.invalidated("tool", tool);
  }

  async invalidateScope(scope: CallerScope): Promise<void> {
    await this.#bump("invalidateScope", this.#layout.scopeGenKey(scope));
    this.#tel.invalidated("scope");
  }

  async invalidateAll(): Promise<void> {
    await this.#bump("invalidateAll", this.#layout.namespaceGenKey);
    this.#tel.invalidated("namespace");
  }

  warm(entries: Iterable<WarmEntry>, options?: { concurrency?: number }): Promise<WarmResult> {
    return warmEntries(this, entries, options?.concurrency ?? 4, this.#tel);
  }

  stats(): CacheStats {
    return snapshotStats(this.#layout.tools.values());
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
    this.#tel.bypass(tool, reason);
    return fn();
  }

  #decode(tool: ToolState, payload: string): unknown {
    try {
      return this.#o.codec.decode(payload);
    } catch (error) {
      this.#tel.warn(
        "decode",
        { tool: tool.name, err: error },
        "cache entry could not be decoded; treated as a miss",
      );
      return NO_STALE;
    }
  }

  async #bump(operation: string, genKey: string): Promise<void> {
    if (this.#gens === undefined) {
      throw new UnsupportedError(
        PKG,
        `${operation}() needs a store that runs scripts, and "${this.store.name}" does not; delete(key) still works`,
      );
    }
    await this.#gens.bump(genKey);
  }
}
