import { type CacheOptions, createCache, type Store } from "@mcp-persist/cache-core";
import type { Redis } from "ioredis";
import type { LRUCache } from "lru-cache";
import { type Calls, countingUpstream } from "../calls";
import type { StoreName } from "../cli-options";
import { guideKey, TOOL } from "../fixtures";
import type { Subject } from "../plan";
import type { NodeRedis } from "../redis-clients";

/** Ours: `cache.wrap({ tool, args }, fn)`, keys derived by @mcp-persist/keys on every call. */
export function oursLine(
  id: string,
  store: Store,
  storeName: StoreName,
  calls: Calls,
  options: {
    namespace: string;
    ttlMs: number;
    baseline?: string;
    /** Options beyond the defaults (`l1`, `singleFlight`), named in the label by the caller. */
    cacheOptions?: Partial<CacheOptions>;
    label?: string;
  },
): Subject {
  const cache = createCache({
    ...options.cacheOptions,
    store,
    namespace: options.namespace,
    defaultTtlMs: options.ttlMs,
  });
  const upstream = countingUpstream(calls);
  return {
    id,
    label: options.label ?? `cache.wrap · store-${storeName}`,
    role: "ours",
    library: `@mcp-persist/cache-core + @mcp-persist/store-${storeName}`,
    store: storeName,
    onRedis: storeName !== "lru",
    op: (i) => cache.wrap({ tool: TOOL, args: calls.args(i) }, () => upstream.fn(i)),
    upstreamCalls: upstream.count,
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
  };
}

/** The few commands a hand-written cache-aside needs, on whichever client. */
export interface TextKv {
  get(key: string): string | undefined | Promise<string | null>;
  set(key: string, text: string, ttlMs: number): unknown;
}

export function lruKv(lru: LRUCache<string, string>): TextKv {
  return { get: (key) => lru.get(key), set: (key, text, ttlMs) => lru.set(key, text, { ttl: ttlMs }) };
}

export function ioredisKv(client: Redis): TextKv {
  return { get: (key) => client.get(key), set: (key, text, ttlMs) => client.set(key, text, "PX", ttlMs) };
}

export function nodeRedisKv(client: NodeRedis): TextKv {
  return {
    get: (key) => client.get(key),
    set: (key, text, ttlMs) => client.set(key, text, { expiration: { type: "PX", value: ttlMs } }),
  };
}

export interface AsideOptions {
  id: string;
  label: string;
  role: "baseline" | "reference";
  library: string;
  store?: StoreName;
  onRedis: boolean;
  /** Prefix of this line's keys: isolates it from the others on a shared store. */
  prefix: string;
  ttlMs: number;
}

/**
 * Cache-aside by hand, as the guides write it: GET, JSON.parse on a hit; on a miss, call the
 * tool, SET the JSON with a TTL. As the raw baseline it uses the precomputed key; as the guides'
 * reference it derives the key the guides' way (deepSortKeys + JSON.stringify + SHA-256) per call.
 */
export function asideLine(kv: TextKv, calls: Calls, options: AsideOptions): Subject {
  const upstream = countingUpstream(calls);
  const keyOf =
    options.role === "baseline"
      ? (i: number) => options.prefix + calls.key(i)
      : (i: number) => options.prefix + guideKey(TOOL, calls.args(i));
  const call = async (i: number): Promise<unknown> => {
    const key = keyOf(i);
    const got = kv.get(key);
    // An in-process get stays synchronous, as in the guides' handler: no await it would not have.
    const cached = got instanceof Promise ? await got : got;
    if (typeof cached === "string") return JSON.parse(cached);
    const result = await upstream.fn(i);
    await kv.set(key, JSON.stringify(result), options.ttlMs);
    return result;
  };
  const { prefix: _prefix, ttlMs: _ttlMs, ...meta } = options;
  return { ...meta, op: call, upstreamCalls: upstream.count };
}
