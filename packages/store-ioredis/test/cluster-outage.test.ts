import { randomUUID } from "node:crypto";
import { clusterStoreKinds, waitFor } from "@mcp-persist/test-kit";
import { type RedisCluster, startRedisCluster } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// One file for both clients (clusterStoreKinds): a store-created Cluster whose every node is
// SIGKILLed. On ioredis the store turns the Cluster's own offline queue on (so calls ride over a
// node connection that is still opening, see create-ioredis-client.ts); the store's readiness gate
// is what keeps an outage from queueing calls there to be sent later.

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.stop());

const TIMEOUT_MS = 250;

describe.each(clusterStoreKinds(() => cluster))("every node of a Cluster killed, $name", (kind) => {
  it("calls reject within the deadline, and none is written once the nodes are back", async () => {
    const store = kind.open({ timeoutMs: TIMEOUT_MS });
    const prefix = `outage-${kind.name}-${randomUUID()}`;
    await store.set(`${prefix}:before`, "1", 60_000);

    await Promise.all(cluster.nodes.map((node) => node.kill()));
    // Rounds of 100 concurrent writes on keys spread over every slot, for about a second.
    const written: string[] = [];
    let slowest = 0;
    const until = Date.now() + 1000;
    for (let round = 0; Date.now() < until; round++) {
      const calls = Array.from({ length: 100 }, async (_, n) => {
        const key = `${prefix}:${round}:${n}`;
        written.push(key);
        const started = performance.now();
        await expect(store.set(key, "late", 60_000)).rejects.toThrow();
        slowest = Math.max(slowest, performance.now() - started);
      });
      await Promise.all(calls);
    }
    // Generous over the deadline (timers run late on a loaded machine); a queued call that waited
    // for the nodes would never settle at all until they came back.
    expect(slowest).toBeLessThan(TIMEOUT_MS + 750);

    await Promise.all(cluster.nodes.map((node) => node.restart()));
    await waitFor(
      "the store to answer again",
      () =>
        store.get(`${prefix}:before`).then(
          () => true,
          () => false,
        ),
      30_000,
    );
    // Anything queued during the outage would go out with the reconnection: wait past it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Read back in batches, each retried until every node answers (they come back one by one).
    const found: (string | undefined)[] = [];
    for (let at = 0; at < written.length; at += 100) {
      const batch = written.slice(at, at + 100);
      let values: (string | undefined)[] | undefined;
      await waitFor(
        "every node to answer",
        async () => {
          values = await Promise.all(batch.map((key) => store.get(key))).catch(() => undefined);
          return values !== undefined;
        },
        30_000,
      );
      found.push(...(values ?? []));
    }
    expect(found.filter((value) => value !== undefined)).toEqual([]);
    expect(written.length).toBeGreaterThan(100);
  }, 90_000);
});
