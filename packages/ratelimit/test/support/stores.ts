import type { Clock, Store } from "@mcp-persist/cache-core";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { lruStore } from "@mcp-persist/store-lru";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import type { RedisServer } from "@mcp-persist/test-redis";
import { afterEach } from "vitest";
import { withInjectedTime } from "./injected-time";

/**
 * Limiter options for tests that are not about outages: a deadline long enough that a store still
 * connecting on a busy CI machine is waited for, instead of the check being decided without it.
 */
export const PATIENT = { storeTimeoutMs: 10_000 } as const;

/** One of the three stores every behaviour is tested on. */
export interface StoreKind {
  readonly name: "lru" | "ioredis" | "node-redis";
  /** Whether it is a Redis store (shared between stores, server clock). */
  readonly redis: boolean;
  /**
   * A fresh store, closed after the test. With `clock`, scripts read time from it: an lruStore
   * on that clock, or a Redis store whose scripts take the time as an argument instead of TIME.
   * `timeoutMs` is a Redis store's own deadline (default 2000).
   */
  open(options?: { clock?: Clock; timeoutMs?: number }): Store;
}

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function track<S extends Store>(store: S): S {
  opened.push(store);
  return store;
}

/** The three stores; the Redis ones on `server()` (started in the test file's beforeAll). */
export function storeKinds(server: () => RedisServer): StoreKind[] {
  const redisKind = (
    name: "ioredis" | "node-redis",
    make: (url: string, timeoutMs: number) => Store,
  ): StoreKind => ({
    name,
    redis: true,
    open({ clock, timeoutMs = 2000 } = {}) {
      const store = track(make(server().url, timeoutMs));
      return clock === undefined ? store : withInjectedTime(store, clock);
    },
  });
  return [
    {
      name: "lru",
      redis: false,
      open: ({ clock } = {}) => track(lruStore(clock === undefined ? {} : { clock })),
    },
    redisKind("ioredis", (url, timeoutMs) => ioredisStore({ connection: url, timeoutMs })),
    redisKind("node-redis", (url, timeoutMs) => nodeRedisStore({ connection: url, timeoutMs })),
  ];
}
