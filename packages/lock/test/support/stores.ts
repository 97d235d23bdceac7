import { randomUUID } from "node:crypto";
import type { Store } from "@mcp-persist/cache-core";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { lruStore } from "@mcp-persist/store-lru";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterAll, afterEach, beforeAll } from "vitest";

/** One kind of store the tests run on. */
export interface StoreKind {
  name: string;
  /** Whether other processes see its keys (Redis) or only this one (LRU). */
  shared: boolean;
  /** A new store; `timeoutMs` is the store's own deadline per call, where it has one. */
  make(timeoutMs?: number): Store;
}

/** The in-process store. */
export const lruKind: StoreKind = { name: "lru", shared: false, make: () => lruStore() };

/**
 * The Redis stores' own per-call deadline in tests that are not about outages: a connection or a
 * cluster slot map set up on a loaded 2-core machine can take longer than the 250 ms default.
 */
export const PATIENT_TIMEOUT_MS = 3000;

/** The Redis stores, on the server at `url()` (read when a store is made, after `beforeAll`). */
export function redisKinds(url: () => string): StoreKind[] {
  return [
    { name: "ioredis", shared: true, make: (timeoutMs) => ioredisStore({ connection: url(), timeoutMs }) },
    {
      name: "node-redis",
      shared: true,
      make: (timeoutMs) => nodeRedisStore({ connection: url(), timeoutMs }),
    },
  ];
}

/** The in-process store and the Redis stores: what every behaviour is tested on. */
export function everyKind(url: () => string): StoreKind[] {
  return [lruKind, ...redisKinds(url)];
}

/** A Redis server for this test file: started before its tests, stopped after them. */
export function useRedis(): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server?.stop());
  return () => {
    if (server === undefined) throw new Error("the Redis server is started in beforeAll");
    return server;
  };
}

/** Every store the test creates through `open` is closed after it. */
export function storeTracker(): (kind: StoreKind, timeoutMs?: number) => Store {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close().catch(() => {})));
  });
  return (kind, timeoutMs) => {
    const store = kind.make(timeoutMs);
    open.push(store);
    return store;
  };
}

/** A fresh namespace, so tests never share keys and may run in any order. */
export function freshNamespace(): string {
  return `lock-test-${randomUUID()}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
