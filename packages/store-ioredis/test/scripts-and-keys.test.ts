import { randomUUID } from "node:crypto";
import { sampleScripts } from "@mcp-persist/cache-core/testing";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { scriptScenarios } from "@mcp-persist/test-kit";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { defaultClient, ioredisKit } from "./ioredis-kit";

scriptScenarios(ioredisKit);

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

it("close() leaves a handed-in client open unless told it owns it, and quits its own", async () => {
  const client = new Redis(server.url);
  await client.ping();
  await ioredisStore({ client }).close();
  expect(client.status).toBe("ready");
  const owning = ioredisStore({ client, ownsClient: true });
  const closing = owning.close();
  expect(owning.close()).toBe(closing);
  await closing;
  expect(client.status).toBe("end");

  const created = ioredisStore({ connection: server.url });
  await created.ping();
  await created.close();
  expect(created.client.status).toBe("end");
});

/**
 * Counts the writes `client`'s socket makes from now on, below the stream's own buffering: one per
 * system call.
 */
function countWrites(client: Redis): { readonly count: number } {
  type Writes = Record<"_write" | "_writev", (...args: unknown[]) => unknown>;
  const stream = (client as unknown as { stream: Writes }).stream;
  const counter = { count: 0 };
  for (const method of ["_write", "_writev"] as const) {
    const original = stream[method];
    stream[method] = function (this: unknown, ...args: unknown[]) {
      counter.count++;
      return original.apply(this, args);
    };
  }
  return counter;
}

it("script calls made in one tick go out four to a socket write, and each gets its own reply", async () => {
  const client = defaultClient(server.url);
  const store = ioredisStore({ client, ownsClient: true });
  const key = (n: number) => `coalesced-${randomUUID()}:${n}`;
  const keys = [key(0), key(1), key(2), key(3)];
  await store.run(sampleScripts.incrWithTtl, [keys[0] as string], [1, 60_000]); // EVAL once: EVALSHA after
  const writes = countWrites(client);
  const calls = Array.from({ length: 16 }, (_, i) =>
    store.run(sampleScripts.incrWithTtl, [keys[i % 4] as string], [1, 60_000]),
  );
  // In order on one connection: the first key was at 1 already, the others start at 1.
  expect(await Promise.all(calls)).toEqual(calls.map((_, i) => (i % 4 === 0 ? 2 : 1) + Math.floor(i / 4)));
  expect(writes.count).toBe(4);
  await store.close();
});

it("GETs made in one tick go out four to a socket write; a SET or DEL goes out at once, with the GETs held before it", async () => {
  const client = defaultClient(server.url);
  const store = ioredisStore({ client, ownsClient: true });
  await store.ping();
  const keys = Array.from({ length: 16 }, (_, i) => `grouped-${randomUUID()}:${i}`);
  const writes = countWrites(client);
  const sets = keys.map((key, i) => store.set(key, `value ${i}`, 60_000));
  // On the wire when set() returns: the cache writes behind its caller, and another connection's
  // GET made next must not overtake the SET.
  expect(writes.count).toBe(16);
  await Promise.all(sets);
  const gets = keys.map((key) => store.get(key));
  expect(writes.count, "each group of four GETs goes out as it fills").toBe(20);
  expect(await Promise.all(gets)).toEqual(keys.map((_, i) => `value ${i}`));
  expect(writes.count).toBe(20);
  // Three GETs held, then a DEL: one write for the four, replies in order.
  const held = keys.slice(0, 3).map((key) => store.get(key));
  expect(writes.count, "GETs are held until four are in or the tick ends").toBe(20);
  const deleted = store.delete(keys[3] as string);
  expect(writes.count).toBe(21);
  expect(await Promise.all([...held, deleted])).toEqual(["value 0", "value 1", "value 2", true]);
  expect(await store.get(keys[3] as string)).toBeUndefined();
  await store.close();
});
