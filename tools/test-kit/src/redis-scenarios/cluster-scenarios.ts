import { randomUUID } from "node:crypto";
import { CrossSlotError, type Store } from "@mcp-persist/cache-core";
import { sampleScripts, storeConformance } from "@mcp-persist/cache-core/testing";
import { type RedisCluster, redisCommand, startRedisCluster } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it, test } from "vitest";
import { moveEmptySlot } from "../support/cluster-slots";
import { copyScript } from "../support/copy-script";
import { RELAXED, type RedisStoreKit } from "./redis-store-kit";

// The kit checks that both a created and a handed-in Cluster client report `cluster: true`.
const REDIS = { shared: true, cluster: true };

/** The conformance kit on a 3-master Cluster, the one-slot rule, and MOVED redirects. */
export function clusterScenarios(kit: RedisStoreKit): void {
  let cluster: RedisCluster;
  let shared: Store;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    shared = await kit.handedDefaultCluster(cluster.rootNodes, RELAXED);
  });
  afterAll(async () => {
    await shared.close();
    await cluster.stop();
  });

  describe("a Cluster client the store creates", () => {
    storeConformance(test, () => kit.createdCluster(cluster.rootNodes, RELAXED), REDIS);
  });

  describe("a default-configured Cluster client handed in", () => {
    storeConformance(test, () => kit.handedDefaultCluster(cluster.rootNodes, RELAXED), REDIS);
  });

  describe("multi-key scripts on a Cluster", () => {
    it("run when their keys share a hash tag", async () => {
      const tag = `{user:${randomUUID()}}`;
      await shared.set(`${tag}:a`, "value", 60_000);
      expect(await shared.run(copyScript, [`${tag}:a`, `${tag}:b`], [60_000])).toBe(1);
      expect(await shared.get(`${tag}:b`)).toBe("value");
    });

    it("reject with CrossSlotError (ERR_CROSS_SLOT) naming hash tags when their keys are in different slots", async () => {
      const error = await shared.run(copyScript, ["a", "b"], [60_000]).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CrossSlotError);
      expect(error).toMatchObject({
        code: "ERR_CROSS_SLOT",
        message: expect.stringMatching(/CROSSSLOT.*hash tag/),
      });
    });
  });

  it("a script redirected with MOVED after its slot moved is re-sent, and runs once", async () => {
    const store = kit.createdCluster(cluster.rootNodes);
    await store.ping(); // the client has the slot map now
    const { key, to } = await moveEmptySlot(cluster, `moved:${randomUUID()}`);
    expect(await store.run(sampleScripts.incrWithTtl, [key], [1, 60_000])).toBe(1);
    expect(await redisCommand(to, "GET", key)).toBe("1");
    await store.close();
  });
}
