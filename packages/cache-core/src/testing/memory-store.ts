import { type Clock, systemClock } from "../clock";
import { createLocalStore } from "../local-store";
import { memoryKeyspace } from "../memory-keyspace";
import type { Store } from "../store";

/**
 * The reference in-process store: a plain `Map`, unbounded, for tests (use `lruStore` from
 * `@mcp-persist/store-lru` in production).
 * @param options.clock @default systemClock
 */
export function memoryStore(options: { clock?: Clock } = {}): Store {
  const clock = options.clock ?? systemClock;
  return createLocalStore({
    name: "memory",
    package: "@mcp-persist/cache-core",
    keyspace: memoryKeyspace(clock),
    clock,
  });
}
