import { randomUUID } from "node:crypto";
import type { Logger, Store } from "@mcp-persist/cache-core";
import { clusterStoreKinds } from "@mcp-persist/test-kit";
import { type RedisCluster, startRedisCluster } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AlgorithmName, createToolRateLimiter, type ToolRateLimiterOptions } from "../src/index";

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 30_000);
afterAll(() => cluster.stop());

const clusterStores = clusterStoreKinds(() => cluster);

const ALGORITHMS: AlgorithmName[] = ["sliding-log", "sliding-window", "gcra"];

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(clusterStores)("on a Redis Cluster through $name", (kind) => {
  it.each(ALGORITHMS)(
    "%s: limits in different slots are checked per slot group, all charged or none",
    async (algorithm) => {
      const store = kind.open();
      // Connected first: a check made while a cluster client still discovers its slots is degraded.
      await store.ping();
      const events: string[] = [];
      const logger: Logger = {
        debug() {},
        warn() {},
        error() {},
        info: (obj) => events.push((obj as { event: string }).event),
      };
      const base: ToolRateLimiterOptions = {
        store,
        algorithm,
        prefix: randomUUID(),
        storeTimeoutMs: 2000,
        logger,
      };
      const limiter = createToolRateLimiter({
        ...base,
        perCallerPerTool: { limit: 5, windowMs: 60_000 },
        perCaller: { limit: 10, windowMs: 60_000 },
        perTool: { limit: 3, windowMs: 60_000 },
      });
      const alice = { client: "alice" };
      const first = await Promise.all(
        [0, 1, 2].map(() => limiter.check({ tool: "send_email", caller: alice })),
      );
      expect(first.map((result) => result.reason)).toEqual(["ok", "ok", "ok"]);
      expect(events).toContain("ratelimit_cluster_mode");

      // Bob's slot group (his own limits) is charged first; the tool's group then denies, so Bob's
      // charge is taken back: the call counts nowhere.
      const bob = { client: "bob" };
      expect(await limiter.check({ tool: "send_email", caller: bob })).toMatchObject({
        allowed: false,
        reason: "limited",
        rule: "perTool",
      });
      const bobsOwn = createToolRateLimiter({ ...base, perCallerPerTool: { limit: 5, windowMs: 60_000 } });
      const probe = createToolRateLimiter({ ...base, perCaller: { limit: 10, windowMs: 60_000 } });
      // Each probe takes a rule's whole limit at once: it passes only if none of it is charged.
      await eventually("the refund of Bob's charge", async () => {
        const own = await bobsOwn.check({ tool: "send_email", caller: bob }, { cost: 5 });
        return own.allowed;
      });
      expect(await probe.check({ tool: "other", caller: bob }, { cost: 10 })).toMatchObject({
        allowed: true,
      });
    },
  );

  it.each(ALGORITHMS)("%s: refund() takes back the charge on every slot group", async (algorithm) => {
    const store = kind.open();
    await store.ping();
    const limiter = createToolRateLimiter({
      store,
      algorithm,
      prefix: randomUUID(),
      storeTimeoutMs: 2000,
      // The caller's slot group, then the tool's: each with room for one call.
      perCallerPerTool: { limit: 1, windowMs: 60_000 },
      perTool: { limit: 1, windowMs: 60_000 },
    });
    const call = { tool: "deploy", caller: { client: "dave" } };
    const first = await limiter.check(call);
    const denied = await limiter.check(call);
    expect([first.allowed, denied.allowed]).toEqual([true, false]);
    expect(await limiter.refund(denied)).toBe(false);
    expect(await Promise.all([limiter.refund(first), limiter.refund(first)])).toEqual([true, false]);
    // Allowed only if both groups gave their unit back; and only once.
    expect(await limiter.check(call)).toMatchObject({ allowed: true, reason: "ok" });
    expect((await limiter.check(call)).allowed).toBe(false);
  });

  it("a Cluster store that does not say it is one: switches on its first CrossSlotError (ERR_CROSS_SLOT)", async () => {
    const inner = kind.open();
    await inner.ping();
    // The same store, but silent about being a Cluster: the limiter learns it from the error code.
    const store: Store = {
      name: inner.name,
      capabilities: { ...inner.capabilities, cluster: false },
      get: (key) => inner.get(key),
      set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
      delete: (key) => inner.delete(key),
      run: (script, keys, args, options) => inner.run(script, keys, args, options),
      ping: () => inner.ping(),
      close: async () => {},
    };
    const events: string[] = [];
    const logger: Logger = {
      debug() {},
      warn() {},
      error() {},
      info: (obj) => events.push((obj as { event: string }).event),
    };
    const limiter = createToolRateLimiter({
      store,
      prefix: randomUUID(),
      storeTimeoutMs: 2000,
      logger,
      perCallerPerTool: { limit: 5, windowMs: 60_000 },
      perTool: { limit: 3, windowMs: 60_000 },
    });
    expect(events).toEqual([]);
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => limiter.check({ tool: "send_email", caller: { client: "carol" } })),
    );
    // The checks that were batched run concurrently once split: which one is denied may vary.
    expect(results.map((result) => result.reason).sort()).toEqual(["limited", "ok", "ok", "ok"]);
    expect(events).toEqual(["ratelimit_cluster_mode"]);
  });
});
