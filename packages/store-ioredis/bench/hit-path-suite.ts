import { createCache, type Store } from "@mcp-persist/cache-core";
import { startRedis } from "@mcp-persist/test-redis";
import { afterAll, bench, describe } from "vitest";

/** What the suite measures against: the store's own client, used by hand. */
export interface RawClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
}

const result = { content: [{ type: "text", text: "mcp monitoring: 5 results ".repeat(8) }] };
const call = { tool: "search_docs", args: { query: "mcp monitoring", limit: 5 } };
const rawKey = "bench:raw";
const options = { time: 2000, warmupTime: 300 };
const once = (fn: () => Promise<unknown>) => async () => {
  await fn();
};
const fifty = (fn: () => Promise<unknown>) => async () => {
  await Promise.all(Array.from({ length: 50 }, fn));
};

/** A Redis store, with the client it made for its URL. */
export interface BenchStore extends Store {
  readonly client: RawClient;
}

/**
 * A cache hit (`cache.wrap`: key, one GET, envelope check, decode) against what an application
 * would write by hand with the same client on the same value: GET + JSON.parse. At concurrency 1
 * and 50 (one iteration = 50 concurrent calls), on a redis-server of its own (a free loopback
 * port), with the store `open` makes for its URL; both are closed after the benchmarks.
 */
export async function hitPathBenchmarks(label: string, open: (url: string) => BenchStore) {
  const server = await startRedis();
  const store = open(server.url);
  const client = store.client;
  await store.ping(); // connected: a store-created client has no offline queue
  const cache = createCache({ store, defaultTtlMs: 3_600_000, namespace: "bench" });
  // 50 distinct keys, so the 50 concurrent calls of an iteration are 50 reads on both sides: the
  // cache shares one GET between concurrent hits on a single key, which would flatter it here.
  const calls = Array.from({ length: 50 }, (_, i) => ({ ...call, args: { ...call.args, page: i } }));
  const rawKeys = calls.map((_, i) => `${rawKey}:${i}`);
  for (let i = 0; i < calls.length; i++) {
    await client.set(rawKeys[i] as string, JSON.stringify(result));
    await cache.wrap(calls[i] as typeof call, () => result);
  }
  let next = 0;
  const viaCache = () => cache.wrap(calls[next++ % 50] as typeof call, () => result);
  const viaClient = async () =>
    JSON.parse(String(await client.get(rawKeys[next++ % 50] as string))) as unknown;
  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  describe(`${label} hit path, concurrency 1`, () => {
    bench("cache.wrap hit", once(viaCache), options);
    bench("raw GET + JSON.parse", once(viaClient), options);
  });
  describe(`${label} hit path, concurrency 50 (one iteration = 50 concurrent calls)`, () => {
    bench("cache.wrap hit", fifty(viaCache), options);
    bench("raw GET + JSON.parse", fifty(viaClient), options);
  });
}
