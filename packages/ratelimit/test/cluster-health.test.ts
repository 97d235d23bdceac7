import { DEFAULT_REDIS_TIMEOUT_MS } from "@mcp-persist/cache-core/redis";
import { clusterStoreKinds } from "@mcp-persist/test-kit";
import { type RedisCluster, startRedisCluster } from "@mcp-persist/test-redis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/index";

// One master of three SIGKILLed (no replica): the checks whose keys it served skip the store
// (`degraded`), the others go on being decided by Redis. Store health is kept per hash slot on a
// Cluster; a process-wide one made every check `degraded` for `probeIntervalMs` after the first
// failure. (`cluster-require-full-coverage no`: the surviving masters keep serving their slots.)

let cluster: RedisCluster;
beforeEach(async () => {
  cluster = await startRedisCluster({ args: ["--cluster-require-full-coverage", "no"] });
}, 30_000);
afterEach(() => cluster.stop());

const KEYS = Array.from({ length: 60 }, (_, i) => `caller-${i}`);

describe.each(clusterStoreKinds(() => cluster))("a dead master on a Cluster through $name", (kind) => {
  it("degrades only the checks whose slots it served, and keeps deciding the others", async () => {
    const store = kind.open({ timeoutMs: DEFAULT_REDIS_TIMEOUT_MS });
    await store.ping();
    // A long probe interval: a store-wide verdict would hold every later check for a minute.
    const limiter = createRateLimiter({ store, limit: 1000, windowMs: 60_000, probeIntervalMs: 60_000 });
    for (const key of KEYS) expect((await limiter.check(key)).reason).toBe("ok");

    await cluster.nodes[0]?.kill();
    const round = async () => {
      const degraded = new Set<string>();
      for (const key of KEYS) if ((await limiter.check(key)).reason !== "ok") degraded.add(key);
      return degraded;
    };
    const first = await round();
    const second = await round();
    // About a third of the keys lived on the dead master; the rest are still decided by Redis.
    expect(first.size).toBeGreaterThan(0);
    expect(KEYS.length - second.size).toBeGreaterThanOrEqual(KEYS.length / 4);
    // The same keys, both times: the verdict is the slot's, not the process's.
    expect([...second].sort()).toEqual([...first].sort());
  }, 60_000);
});
