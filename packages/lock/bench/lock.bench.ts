import { ioredisStore } from "@mcp-persist/store-ioredis";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { Mutex } from "redis-semaphore";
import Redlock from "redlock";
import { afterAll, beforeAll, bench, describe } from "vitest";
import { withLock } from "../src/index";

// One Redis, one ioredis client for all three libraries: the differences are the libraries'.
// Each does what `withLock` does: acquire, run an empty function under a self-renewing lease, release.
let redis: RedisServer;
let client: Redis;
let store: ReturnType<typeof ioredisStore>;
let redlock: Redlock;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
  store = ioredisStore({ client });
  redlock = new Redlock([client], { retryCount: 0 });
  await client.ping();
});
afterAll(async () => {
  await client?.quit();
  await redis?.stop();
});

const TTL = 10_000;
// Long warm-ups: the first library measured must not pay for everyone's JIT warm-up.
const options = { time: 2000, warmupTime: 1000 };
const noop = async () => {};

function lockThenRelease(
  library: "lock" | "redlock" | "redis-semaphore",
  resource: string,
): Promise<unknown> {
  switch (library) {
    case "lock":
      return withLock(store, resource, noop, { ttlMs: TTL });
    case "redlock":
      return redlock.using([`redlock:${resource}`], TTL, noop);
    case "redis-semaphore": {
      const mutex = new Mutex(client, `semaphore:${resource}`, { lockTimeout: TTL, acquireAttemptsLimit: 1 });
      return mutex.acquire().then(() => mutex.release());
    }
  }
}

const libraries = [
  ["@mcp-persist/lock withLock", "lock"],
  ["redlock using (single instance)", "redlock"],
  ["redis-semaphore Mutex", "redis-semaphore"],
] as const;

describe("acquire + release round trip, one caller", () => {
  for (const [name, library] of libraries) bench(name, () => lockThenRelease(library, "one").then(), options);
});

describe("throughput: 50 concurrent callers on 50 resources", () => {
  const resources = Array.from({ length: 50 }, (_, i) => `r${i}`);
  for (const [name, library] of libraries) {
    bench(name, () => Promise.all(resources.map((r) => lockThenRelease(library, r))).then(), options);
  }
});
