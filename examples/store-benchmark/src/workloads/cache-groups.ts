import { LRUCache } from "lru-cache";
import type { Calls } from "../calls";
import type { WorkloadName } from "../cli-options";
import type { BenchContext } from "../context";
import type { Group, Subject } from "../plan";
import { LRU_MAX } from "../stores";
import { asideLine, ioredisKv, lruKv, nodeRedisKv, oursLine } from "./cache-lines";
import { bentoLine, cacheManagerLine } from "./peers";

export interface CacheWorkload {
  workload: Extract<WorkloadName, "hit-path" | "tool-calls" | "stampede">;
  calls: Calls;
  ttlMs: number;
  /** Add the raw client baselines (the hit path's overhead ratios). */
  raw: boolean;
}

export interface CacheGroupSpec extends CacheWorkload {
  workload: "hit-path" | "tool-calls";
  title: string;
  note: string;
}

/** The in-process group and the Redis group of a cache workload, for the stores asked for. */
export function cacheGroups(ctx: BenchContext, spec: CacheGroupSpec): Group[] {
  const groups: Group[] = [];
  const common = { workload: spec.workload, note: spec.note, fill: spec.calls.fill, start: spec.calls.start };
  const local = lruLines(ctx, spec);
  if (local.length > 0) {
    groups.push({
      ...common,
      id: `${spec.workload}/lru`,
      title: `${spec.title} · in process`,
      concurrency: ctx.options.localConcurrency,
      subjects: local,
      compareWith: local.filter((s) => s.role === "reference").map((s) => s.id),
    });
  }
  const remote = redisLines(ctx, spec);
  if (remote.length > 0) {
    groups.push({
      ...common,
      id: `${spec.workload}/redis`,
      title: `${spec.title} · Redis`,
      concurrency: ctx.options.concurrency,
      subjects: remote,
      compareWith: remote.filter((s) => s.role === "reference" || s.role === "peer").map((s) => s.id),
    });
  }
  return groups;
}

/** Ours on store-lru, the raw lru-cache baseline (if asked) and the guides' lru-cache code. */
export function lruLines(ctx: BenchContext, spec: CacheWorkload): Subject[] {
  const store = ctx.stores.get("lru");
  if (store === undefined) return [];
  const id = (suffix: string): string => `${spec.workload}/lru/${suffix}`;
  const lru = (): LRUCache<string, string> =>
    new LRUCache<string, string>({ max: LRU_MAX, ttl: spec.ttlMs, updateAgeOnGet: false });
  const common = { prefix: "", ttlMs: spec.ttlMs, onRedis: false };
  const subjects = [
    oursLine(id("ours"), store(), "lru", spec.calls, {
      namespace: `${ctx.runId}-${spec.workload}-lru`,
      ttlMs: spec.ttlMs,
      ...(spec.raw ? { baseline: id("raw") } : {}),
    }),
  ];
  if (spec.raw) {
    subjects.push(
      asideLine(lruKv(lru()), spec.calls, {
        ...common,
        id: id("raw"),
        label: "raw LRUCache.get + JSON.parse",
        role: "baseline",
        library: "lru-cache, precomputed key",
        store: "lru",
      }),
    );
  }
  subjects.push(
    asideLine(lruKv(lru()), spec.calls, {
      ...common,
      id: id("reference"),
      label: "guides' hand-written (lru-cache)",
      role: "reference",
      library: "deepSortKeys + SHA-256 + lru-cache",
    }),
  );
  return subjects;
}

/**
 * Ours on each Redis store asked for (each with its raw baseline on the same client, if asked),
 * the guides' node-redis code, and the peers (each with its own connection).
 */
export function redisLines(ctx: BenchContext, spec: CacheWorkload): Subject[] {
  const redis = ctx.redis;
  if (redis === undefined) return [];
  const { ioredis, nodeRedis } = redis.clients;
  const id = (suffix: string): string => `${spec.workload}/${suffix}`;
  const ns = (suffix: string): string => `${ctx.runId}-${spec.workload}-${suffix}`;
  const subjects: Subject[] = [];
  for (const [store, make] of ctx.stores) {
    if (store === "lru") continue;
    const raw = id(`${store}/raw`);
    subjects.push(
      oursLine(id(`${store}/ours`), make(), store, spec.calls, {
        namespace: ns(store),
        ttlMs: spec.ttlMs,
        ...(spec.raw ? { baseline: raw } : {}),
      }),
    );
    if (!spec.raw) continue;
    subjects.push(
      asideLine(store === "ioredis" ? ioredisKv(ioredis) : nodeRedisKv(nodeRedis), spec.calls, {
        id: raw,
        label: `raw ${store} GET + JSON.parse`,
        role: "baseline",
        library: `${store}, same client, precomputed key`,
        store,
        onRedis: true,
        prefix: `${ns(`raw-${store}`)}:`,
        ttlMs: spec.ttlMs,
      }),
    );
  }
  subjects.push(
    asideLine(nodeRedisKv(nodeRedis), spec.calls, {
      id: id("redis/reference"),
      label: "guides' hand-written (node-redis)",
      role: "reference",
      library: "deepSortKeys + SHA-256 + node-redis GET/SET",
      onRedis: true,
      prefix: `${ns("reference")}:`,
      ttlMs: spec.ttlMs,
    }),
  );
  if (ctx.options.peers) {
    for (const peer of [
      cacheManagerLine(id("peer/cache-manager"), redis.url, ns("cache-manager"), spec.calls, spec.ttlMs),
      bentoLine(id("peer/bentocache"), redis.url, ns("bentocache"), spec.calls, spec.ttlMs),
    ]) {
      ctx.defer(peer.close);
      subjects.push(peer.subject);
    }
  }
  return subjects;
}
