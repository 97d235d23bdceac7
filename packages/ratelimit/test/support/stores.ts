import { storeKinds as kitStoreKinds, type StoreKind } from "@mcp-persist/test-kit";
import type { RedisServer } from "@mcp-persist/test-redis";
import { withInjectedTime } from "./injected-time";

export type { StoreKind } from "@mcp-persist/test-kit";

/**
 * Limiter options for tests that are not about outages: a deadline long enough that a store still
 * connecting on a busy CI machine is waited for, instead of the check being decided without it.
 */
export const PATIENT = { storeTimeoutMs: 10_000 } as const;

/**
 * The kit's three stores, closed after each test, with two things particular to the limiter's
 * tests. With `clock`, a Redis store's scripts read time from it instead of TIME (the kit's lru
 * store already runs on it). And no client key prefix unless one is given: these tests read the
 * limiter's keys by name (and measure their memory, name included), and each already keeps to
 * its own limiter `prefix`.
 */
export function storeKinds(server: () => RedisServer): StoreKind[] {
  return kitStoreKinds(server).map((kind) =>
    kind.redis
      ? {
          ...kind,
          open: ({ clock, keyPrefix = "", ...options } = {}) => {
            const store = kind.open({ keyPrefix, ...options });
            return clock === undefined ? store : withInjectedTime(store, clock);
          },
        }
      : kind,
  );
}
