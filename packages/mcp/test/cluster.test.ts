import { clusterStoreKinds } from "@mcp-persist/test-kit";
import { type RedisCluster, startRedisCluster } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventStore, createSessionState } from "../src/index";

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 30_000);
afterAll(() => cluster?.stop());

const kinds = clusterStoreKinds(() => cluster);
// The stores wait for a slot map built on a loaded machine: so must the event store.
const patient = { storeTimeoutMs: 3000 };

// Every script call below names both keys of a stream: a stream whose keys fell in two slots
// would reject with CrossSlotError.
describe.each(kinds)("$name Cluster", (kind) => {
  it("stores and replays streams, and keeps session state, across two clients", async () => {
    const [a, b] = [createEventStore(kind.open(), patient), createEventStore(kind.open(), patient)];
    const streams = ["s-1", "s-2", "a{b}c", "_GET_stream"];
    const firsts = await Promise.all(streams.map((stream) => a.storeEvent(stream, {})));
    for (let n = 0; n < 5; n++) {
      await Promise.all(streams.map((stream) => (n % 2 ? a : b).storeEvent(stream, { n, stream })));
    }
    for (const [i, stream] of streams.entries()) {
      const sent: unknown[] = [];
      const replayed = await b.replayEventsAfter(firsts[i] as string, {
        send: async (_id, message) => {
          sent.push(message);
        },
      });
      expect(replayed).toBe(stream);
      // The standalone stream of `a` holds only a's events (b's own went to b's scope).
      const expected = stream === "_GET_stream" ? [1, 3] : [0, 1, 2, 3, 4];
      expect(sent).toEqual(expected.map((n) => ({ n, stream })));
    }
    const sessions = createSessionState(kind.open(), patient);
    const state = sessions.forSession("session-1");
    expect(await state.set("cart", { items: [1, 2] })).toBe(true);
    expect(await createSessionState(kind.open(), patient).forSession("session-1").get("cart")).toEqual({
      items: [1, 2],
    });
  });
});
