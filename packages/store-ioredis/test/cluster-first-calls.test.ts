import { randomUUID } from "node:crypto";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { type RedisCluster, startRedisCluster } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A Cluster the store creates opens each node's connection on its first command. Calls made
// while it opens must wait for it, whichever of the two ways the store's settings allow: the
// offline queue (the store's default, with no retry on "Connection is closed", so a dead master
// fails at once), or ioredis's own retry when the caller turns the queue off.

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.stop());

const settings = {
  "the store's defaults": {},
  "enableOfflineQueue: false": { enableOfflineQueue: false },
};

describe.each(Object.entries(settings))("a new store's first calls, %s", (_, options) => {
  it("all succeed: 300 concurrent writes on every node, sent before any node connection is open", async () => {
    const store = ioredisStore({ cluster: { nodes: cluster.rootNodes, options } });
    try {
      const prefix = randomUUID();
      const results = await Promise.allSettled(
        Array.from({ length: 300 }, (_, n) => store.set(`${prefix}:${n}`, "v", 60_000)),
      );
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    } finally {
      await store.close();
    }
  }, 30_000);
});
