import { hitPathCalls } from "../calls";
import type { BenchContext } from "../context";
import { UNIVERSE } from "../fixtures";
import type { Group, Subject, Unavailable } from "../plan";
import { hitPathSequence } from "../zipf";
import { SEQUENCE_LENGTH } from "./cache-hit-path";
import { asideLine, ioredisKv, nodeRedisKv, oursLine } from "./cache-lines";
import { l1Unavailable, untilListening } from "./l1-probe";
import { bentoTieredLine } from "./peers";

/**
 * The hit path with an in-process first tier in front of Redis: ours (`l1: true`, its defaults)
 * on each Redis store, against the raw `GET` + `JSON.parse` on the same client (a one-tier read
 * cannot do less) and BentoCache set up with its own memory L1, Redis L2 and Redis bus.
 * Every call a hit, the same Zipf sequence as `hit-path`.
 */
export async function twoTierGroups(ctx: BenchContext, unavailable: Unavailable[]): Promise<Group[]> {
  const redis = ctx.redis;
  if (redis === undefined) {
    unavailable.push({
      workload: "two-tier",
      what: "two tiers",
      reason: "they put a first tier in front of Redis, and there is no Redis",
    });
    return [];
  }
  const { ioredis, nodeRedis } = redis.clients;
  const calls = hitPathCalls(ctx.data, hitPathSequence(UNIVERSE, SEQUENCE_LENGTH, ctx.options.seed));
  // Long enough to outlive the run, as in hit-path: nothing may expire into a miss. Our first tier
  // keeps its default 5 s bound, so each entry is re-read from Redis once per 5 s (≈ 0.1% of calls).
  const ttlMs = 3_600_000;
  const id = (suffix: string): string => `two-tier/${suffix}`;
  const ns = (suffix: string): string => `${ctx.runId}-two-tier-${suffix}`;
  const subjects: Subject[] = [];
  for (const [store, make] of ctx.stores) {
    if (store === "lru") continue;
    const raw = id(`${store}/raw`);
    const reason = await l1Unavailable(make(), ns(`probe-${store}`));
    if (reason === undefined) {
      const tiered = make();
      subjects.push(
        oursLine(id(`${store}/ours`), tiered, store, calls, {
          namespace: ns(store),
          ttlMs,
          baseline: raw,
          cacheOptions: { l1: true },
          label: `cache.wrap, l1 · store-${store}`,
        }),
      );
      // Filled once its channel is up: coming up, it empties the first tier it would have filled.
      await untilListening(tiered, ns(store));
    } else {
      unavailable.push({ workload: "two-tier", what: `cache.wrap with l1 on store-${store}`, reason });
    }
    subjects.push(
      asideLine(store === "ioredis" ? ioredisKv(ioredis) : nodeRedisKv(nodeRedis), calls, {
        id: raw,
        label: `raw ${store} GET + JSON.parse`,
        role: "baseline",
        library: `${store}, same client, precomputed key`,
        store,
        onRedis: true,
        prefix: `${ns(`raw-${store}`)}:`,
        ttlMs,
      }),
    );
  }
  if (ctx.options.peers) {
    const peer = bentoTieredLine(id("peer/bentocache"), redis.url, ns("bentocache"), calls, ttlMs);
    ctx.defer(peer.close);
    subjects.push(peer.subject);
  }
  if (subjects.length === 0) return [];
  return [
    {
      id: "two-tier/redis",
      workload: "two-tier",
      title: "Two tiers: hit path · memory in front of Redis",
      note:
        `Every call a hit, Zipf over ${UNIVERSE} argument sets stored beforehand (through each line, so its first ` +
        "tier holds them too). Ours derives the key on every call; the raw baselines (one tier: a round trip " +
        "each) and BentoCache get a precomputed key. Trips/call near 0 shows the first tier answering.",
      concurrency: ctx.options.concurrency,
      subjects,
      compareWith: subjects.filter((s) => s.role === "peer").map((s) => s.id),
      fill: calls.fill,
      start: calls.start,
    },
  ];
}
