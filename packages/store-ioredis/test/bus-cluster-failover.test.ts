import { randomUUID } from "node:crypto";
import type { Store } from "@mcp-persist/cache-core";
import { clusterStoreKinds, waitFor } from "@mcp-persist/test-kit";
import {
  type RedisCluster,
  type RedisServer,
  redisCommand,
  startRedisCluster,
} from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// One file for both clients (clusterStoreKinds): the bus's Cluster code is shared in cache-core.
// 3 masters with a replica each. The node the bus subscribes on is SIGKILLed: its replica takes
// over once the others mark it failed, and the bus must open its connection on a live node.

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ replicas: 1, args: ["--cluster-require-full-coverage", "no"] });
}, 60_000);
afterAll(() => cluster?.stop());

/** The node holding a pub/sub connection (the bus's: this test opens no other). */
async function subscriberNode(): Promise<RedisServer | undefined> {
  for (const node of [...cluster.nodes, ...cluster.replicas]) {
    const clients = await redisCommand(node.port, "CLIENT", "LIST", "TYPE", "pubsub").catch(() => "");
    if (clients.trim() !== "") return node;
  }
  return undefined;
}

/**
 * Publishes `message` until the subscriber has it (the store's client follows a failover on its own
 * time, so publishes may fail for a while). One accepted publish proves nothing yet: pub/sub keeps
 * nothing, and `listening` stays true while a message cannot reach the subscriber: its node gone
 * and not yet noticed, or restarted and not yet linked again to the other nodes, which broadcast
 * every message over the cluster bus.
 */
async function publishUntilHeard(
  store: Store,
  channel: string,
  message: string,
  heard: () => boolean,
): Promise<void> {
  await waitFor(
    `"${message}" to reach the subscriber`,
    async () => {
      if (heard()) return true;
      await store.bus?.publish(channel, message).catch(() => undefined);
      return heard();
    },
    30_000,
  );
}

/** The servers of the first master by address now (as both stores order masters) and of its replicas. */
async function firstMasterAndReplicas(): Promise<RedisServer[]> {
  const all = [...cluster.nodes, ...cluster.replicas];
  const lines = (await redisCommand(all[0]?.port ?? 0, "CLUSTER", "NODES")).split("\n");
  const parsed = lines.map((line) => {
    const [id = "", address = "", flags = "", masterId = ""] = line.split(" ");
    return { id, address: address.split("@")[0] ?? "", flags, masterId };
  });
  const masters = parsed.filter((n) => n.flags.includes("master") && !n.flags.includes("fail"));
  const first = masters.sort((a, b) => (a.address < b.address ? -1 : 1))[0];
  const ports = parsed
    .filter((n) => n === first || n.masterId === first?.id)
    .map((n) => Number(n.address.split(":")[1]));
  return all.filter((server) => ports.includes(server.port));
}

describe.each(clusterStoreKinds(() => cluster))("the bus on a Cluster, $name", (kind) => {
  it("its node SIGKILLed: subscriptions are told interrupted, then listen again on another node, and messages flow", async () => {
    const store = kind.open();
    const channel = `failover:${randomUUID()}`;
    const events: string[] = [];
    const subscription = store.bus?.subscribe(channel, {
      message: (message) => events.push(`m:${message}`),
      listening: () => events.push("listening"),
      interrupted: () => events.push("interrupted"),
    });
    await waitFor("the subscription to listen", () => subscription?.listening === true, 10_000);
    const node = await subscriberNode();
    expect(node, "no node holds the bus's connection").toBeDefined();
    await node?.kill();
    try {
      await waitFor("interrupted()", () => events.includes("interrupted"), 10_000);
      await waitFor("the subscription to listen again", () => subscription?.listening === true, 30_000);
      expect((await subscriberNode())?.port).not.toBe(node?.port);
      await publishUntilHeard(store, channel, "after the failover", () =>
        events.includes("m:after the failover"),
      );
      expect(events.filter((e) => !e.startsWith("m:"))).toEqual(["listening", "interrupted", "listening"]);
    } finally {
      // It rejoins as a replica of the node that took its place.
      await node?.restart();
    }
  }, 90_000);

  it("the first master by address lost with its replicas (no failover): publishes go through another master", async () => {
    const store = kind.open();
    const channel = `lost-master:${randomUUID()}`;
    const events: string[] = [];
    const subscription = store.bus?.subscribe(channel, { message: (message) => events.push(message) });
    await waitFor("the subscription to listen", () => subscription?.listening === true, 10_000);
    await publishUntilHeard(store, channel, "before", () => events.includes("before"));
    // The node the test above killed rejoins as a replica on its own time: wait until the first
    // master by address has its replica again, so that losing both leaves no failover.
    let lost: RedisServer[] = [];
    await waitFor(
      "the first master by address to have a replica",
      async () => {
        lost = await firstMasterAndReplicas();
        return lost.length === 2;
      },
      30_000,
    );
    await Promise.all(lost.map((server) => server.kill()));
    try {
      // Nothing takes the master's place, so the stores' lists keep it: the publisher must pass it
      // over (on the old code every publish went to the dead master and failed). The bus's own
      // connection may have been on a lost node too: it moves, and a message sent meanwhile is lost.
      await publishUntilHeard(store, channel, "after", () => events.includes("after"));
      expect(subscription?.listening).toBe(true);
    } finally {
      for (const server of lost) await server.restart();
      await store.close();
    }
  }, 90_000);
});
