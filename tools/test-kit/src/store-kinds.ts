import { randomUUID } from "node:crypto";
import type { Clock, Store } from "@mcp-persist/cache-core";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { lruStore } from "@mcp-persist/store-lru";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import type { RedisServer } from "@mcp-persist/test-redis";
import { afterEach } from "vitest";

/** The names of the three stores every capability is tested on. */
export type StoreKindName = "lru" | "ioredis" | "node-redis";

/** What {@link StoreKind.open} takes. */
export interface OpenOptions {
  /**
   * The Redis client's key prefix (applied to GET, SET, DEL and script KEYS). Give two stores the
   * same one to let them share keys, as two processes of one application do.
   * @default a fresh `kit-<uuid>:` for each store, so tests never see each other's keys
   */
  keyPrefix?: string;
  /**
   * The Redis store's own per-call deadline, ms.
   * @default PATIENT_TIMEOUT_MS
   */
  timeoutMs?: number;
  /** The in-process store's clock (ignored by the Redis stores, whose scripts read the server's). */
  clock?: Clock;
}

/** One of the three stores. */
export interface StoreKind {
  readonly name: StoreKindName;
  /** Whether it is a Redis store: shared between stores and processes, server clock. */
  readonly redis: boolean;
  /** A new store, closed after the current test. */
  open(options?: OpenOptions): Store;
}

/**
 * The Redis stores' deadline in tests that are not about outages: a connection set up on a loaded
 * 2-core machine can take longer than the 250 ms default, and a check decided without its store
 * would test the outage path by accident.
 */
export const PATIENT_TIMEOUT_MS = 3000;

/** A fresh key prefix: what keeps tests on one server apart. */
export function freshPrefix(label = "kit"): string {
  return `${label}-${randomUUID()}:`;
}

/**
 * lru, ioredis and node-redis stores, the Redis ones on `server()` (see `useRedis`). Every store
 * opened during a test is closed after it. Call at collection time (it registers an `afterEach`).
 */
export function storeKinds(server: () => RedisServer): StoreKind[] {
  const track = closedAfterEach();
  return [
    {
      name: "lru",
      redis: false,
      open: ({ clock } = {}) => track(lruStore(clock === undefined ? {} : { clock })),
    },
    {
      name: "ioredis",
      redis: true,
      open: ({ keyPrefix = freshPrefix(), timeoutMs = PATIENT_TIMEOUT_MS } = {}) => {
        const { host, port } = server();
        return track(ioredisStore({ connection: { host, port, keyPrefix }, timeoutMs }));
      },
    },
    {
      name: "node-redis",
      redis: true,
      open: ({ keyPrefix = freshPrefix(), timeoutMs = PATIENT_TIMEOUT_MS } = {}) =>
        track(nodeRedisStore({ connection: { url: server().url, keyPrefix }, timeoutMs })),
    },
  ];
}

/**
 * A function that hands back the store it is given, and closes it after the current test.
 * Call at collection time (it registers an `afterEach`).
 */
export function closedAfterEach(): (store: Store) => Store {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close().catch(() => {})));
  });
  return (store) => {
    opened.push(store);
    return store;
  };
}

/** The two Redis kinds of {@link storeKinds}. */
export function redisStoreKinds(server: () => RedisServer): StoreKind[] {
  return storeKinds(server).filter((kind) => kind.redis);
}
