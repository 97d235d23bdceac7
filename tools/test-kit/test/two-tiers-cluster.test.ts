import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Cache, createCache, type Store } from "@mcp-persist/cache-core";
import { type RedisCluster, startRedisCluster } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterStoreKinds, PATIENT_TIMEOUT_MS, waitFor } from "../src/index";

// `createCache({ l1, singleFlight: "fleet" })` on a Redis Cluster: two caches, each on a store of
// its own (two connections, two subscriber connections), stand for two processes.

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.stop());

const kinds = clusterStoreKinds(() => cluster);

/** Two caches on one namespace, each on its own store; resolves once both coherence channels listen. */
async function twoProcesses(open: () => Store): Promise<[Cache, Cache]> {
  const namespace = `ns-${randomUUID()}`;
  const stores = [open(), open()];
  const caches = stores.map((store) =>
    createCache({
      store,
      namespace,
      defaultTtlMs: 60_000,
      storeTimeoutMs: PATIENT_TIMEOUT_MS,
      l1: true,
      singleFlight: "fleet",
    }),
  );
  // A probe on the cache's channel shares its subscriber connection: listening says it is up.
  const probes = stores.map((store) =>
    store.bus?.subscribe(`mcp-persist:${namespace}:cache`, { message() {} }),
  );
  await waitFor(
    "both coherence channels listening",
    () => probes.every((p) => p?.listening === true),
    15_000,
  );
  return caches as [Cache, Cache];
}

describe.each(kinds)("$name Cluster", (kind) => {
  it("a delete and an invalidation in one cache reach the other's first tier", async () => {
    const [a, b] = await twoProcesses(() => kind.open());
    for (const [i, invalidate] of [
      (key: { tool: string; args: unknown }) => a.delete(key),
      () => a.invalidateTool("search"),
    ].entries()) {
      const key = { tool: "search", args: { i } };
      expect(await a.wrap(key, async () => "v1")).toBe("v1");
      expect(await b.wrap(key, async () => "never")).toBe("v1");
      expect(await b.wrap(key, async () => "never")).toBe("v1");
      await invalidate(key);
      await sleep(1000);
      expect(await b.wrap(key, async () => "v2")).toBe("v2");
    }
    expect(b.stats().total.l1Hits).toBeGreaterThan(0);
  }, 60_000);

  it("2 caches × 200 concurrent cold calls make 1 upstream call", async () => {
    const [a, b] = await twoProcesses(() => kind.open());
    let calls = 0;
    const fn = async () => {
      calls++;
      await sleep(200);
      return { answer: 42 };
    };
    const key = { tool: "ask", args: { q: randomUUID() }, caller: "alice" };
    await Promise.all([a, b].flatMap((cache) => Array.from({ length: 200 }, () => cache.wrap(key, fn))));
    expect(calls).toBe(1);
  }, 60_000);
});
