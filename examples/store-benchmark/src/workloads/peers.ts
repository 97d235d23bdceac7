import KeyvRedis from "@keyv/redis";
import { BentoCache, bentostore } from "bentocache";
import { memoryDriver } from "bentocache/drivers/memory";
import { redisBusDriver, redisDriver } from "bentocache/drivers/redis";
import { createCache } from "cache-manager";
import { Redis } from "ioredis";
import { Keyv } from "keyv";
import type { Calls } from "../calls";
import { countingUpstream } from "../calls";
import type { Subject } from "../plan";
import { quiet } from "../redis-clients";
import { LRU_MAX } from "../stores";

/** A peer line, and how to release what it opened. */
export interface PeerLine {
  subject: Subject;
  close(): Promise<unknown>;
}

/**
 * cache-manager 7 `wrap` on its Redis store, as its README sets it up: Keyv + @keyv/redis (its
 * own node-redis connection). Keys are the precomputed ones, under the line's namespace.
 */
export function cacheManagerLine(
  id: string,
  url: string,
  namespace: string,
  calls: Calls,
  ttlMs: number,
): PeerLine {
  const cache = createCache({ stores: [new Keyv({ store: new KeyvRedis(url), namespace })] });
  const upstream = countingUpstream(calls);
  return {
    subject: {
      id,
      label: "cache-manager wrap",
      role: "peer",
      library: "cache-manager 7 + keyv 5 + @keyv/redis",
      onRedis: true,
      op: (i) => cache.wrap(calls.key(i), () => upstream.fn(i), ttlMs),
      upstreamCalls: upstream.count,
    },
    close: () => cache.disconnect(),
  };
}

/**
 * BentoCache `getOrSet` with its Redis driver as the only layer (L2): no in-memory L1 is
 * configured, so each call goes to Redis, like ours. Its own ioredis connection.
 */
export function bentoLine(id: string, url: string, prefix: string, calls: Calls, ttlMs: number): PeerLine {
  const bento = new BentoCache({
    default: "redis",
    stores: { redis: bentostore({ prefix }).useL2Layer(redisDriver({ connection: quiet(new Redis(url)) })) },
  });
  const upstream = countingUpstream(calls);
  return {
    subject: {
      id,
      label: "BentoCache getOrSet (L2 only)",
      role: "peer",
      library: "bentocache + redis driver (ioredis)",
      onRedis: true,
      op: (i) => bento.getOrSet({ key: calls.key(i), factory: () => upstream.fn(i), ttl: ttlMs }),
      upstreamCalls: upstream.count,
    },
    close: () => bento.disconnect(),
  };
}

/**
 * BentoCache `getOrSet` as its multi-tier guide sets it up: a memory L1 (bounded like ours, at
 * 10,000 entries; otherwise its defaults, which serialize entries, so a hit hands back a copy the
 * caller may change, as ours does), the Redis driver as L2, and the Redis bus that keeps the L1s
 * of several processes coherent. Own ioredis connection (the bus duplicates it twice: publisher
 * and subscriber).
 */
export function bentoTieredLine(
  id: string,
  url: string,
  prefix: string,
  calls: Calls,
  ttlMs: number,
): PeerLine {
  const connection = quiet(new Redis(url));
  const bento = new BentoCache({
    default: "tiered",
    stores: {
      tiered: bentostore({ prefix })
        .useL1Layer(memoryDriver({ maxItems: LRU_MAX }))
        .useL2Layer(redisDriver({ connection }))
        .useBus(redisBusDriver({ connection })),
    },
  });
  const upstream = countingUpstream(calls);
  return {
    subject: {
      id,
      label: "BentoCache getOrSet (L1 + L2 + bus)",
      role: "peer",
      library: "bentocache: memory L1 + redis L2 + redis bus (ioredis)",
      onRedis: true,
      op: (i) => bento.getOrSet({ key: calls.key(i), factory: () => upstream.fn(i), ttl: ttlMs }),
      upstreamCalls: upstream.count,
    },
    close: () => bento.disconnect(),
  };
}
