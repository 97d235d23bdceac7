import { randomUUID } from "node:crypto";
import { redisStoreKinds, useRedis, waitFor } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";

// One file for both clients (redisStoreKinds): the bus's connection handling is shared in cache-core.

const server = useRedis();

/** The server's pub/sub connections: only the bus opens one here. */
async function pubsubConnections(): Promise<number> {
  const list = await redisCommand(server().port, "CLIENT", "LIST", "TYPE", "pubsub");
  return list.split("\n").filter((line) => line.trim() !== "").length;
}

describe.each(redisStoreKinds(server))("the bus's connection on $name", (kind) => {
  it("opens on the first subscription, carries every channel and subscription, and closes with the store", async () => {
    const store = kind.open();
    await store.ping();
    await store.bus?.publish(`connections:${randomUUID()}`, "nobody listens");
    expect(await pubsubConnections()).toBe(0);

    const prefix = `connections:${randomUUID()}:`;
    const heard = new Map<string, number>();
    const subscriptions = Array.from({ length: 20 }, (_, i) => i).flatMap((i) =>
      Array.from({ length: 3 }, () =>
        store.bus?.subscribe(`${prefix}${i}`, {
          message: (message) => heard.set(message, (heard.get(message) ?? 0) + 1),
        }),
      ),
    );
    await waitFor("every subscription to listen", () => subscriptions.every((s) => s?.listening === true));
    expect(await pubsubConnections()).toBe(1);

    await Promise.all(Array.from({ length: 20 }, (_, i) => store.bus?.publish(`${prefix}${i}`, `to ${i}`)));
    await waitFor("every message, to each of its channel's 3 subscriptions", () =>
      Array.from({ length: 20 }, (_, i) => heard.get(`to ${i}`) === 3).every(Boolean),
    );

    await store.close();
    await waitFor("the bus's connection to close", async () => (await pubsubConnections()) === 0);
  });
});
