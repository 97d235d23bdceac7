import type { Store } from "@mcp-persist/cache-core";
import type { StoreName } from "./cli-options";
import type { Unavailable } from "./plan";
import type { RedisClients } from "./redis-clients";
import { optionalImport } from "./workloads/optional-import";

/** Entries an in-process store may hold: the same bound for ours and the hand-written caches. */
export const LRU_MAX = 10_000;

/** A fresh store of one kind; Redis stores wrap the run's shared client of their library. */
export type StoreFactories = Map<StoreName, () => Store>;

/**
 * Our stores that were asked for and can run: the package loads (it may not have landed yet)
 * and, for Redis stores, there is a Redis. The others are listed as not measured. Every store
 * made is closed through `defer` (a Redis store's bus holds a connection of its own; the shared
 * clients are closed apart).
 */
export async function loadStores(
  wanted: readonly StoreName[],
  clients: RedisClients | undefined,
  unavailable: Unavailable[],
  defer: (close: () => unknown) => void,
): Promise<StoreFactories> {
  const loaded: StoreFactories = new Map();
  const missing = (name: StoreName, reason: string): void => {
    unavailable.push({ workload: "stores", what: `store-${name}`, reason });
  };
  for (const name of wanted) {
    if (name === "lru") {
      const mod = await optionalImport(() => import("@mcp-persist/store-lru"), "lruStore");
      if (typeof mod === "string") missing(name, mod);
      else loaded.set(name, () => mod.lruStore({ max: LRU_MAX }));
    } else if (clients !== undefined) {
      const { ioredis, nodeRedis } = clients;
      if (name === "ioredis") {
        const mod = await optionalImport(() => import("@mcp-persist/store-ioredis"), "ioredisStore");
        if (typeof mod === "string") missing(name, mod);
        else loaded.set(name, () => mod.ioredisStore({ client: ioredis }));
      } else {
        const mod = await optionalImport(() => import("@mcp-persist/store-node-redis"), "nodeRedisStore");
        if (typeof mod === "string") missing(name, mod);
        else loaded.set(name, () => mod.nodeRedisStore({ client: nodeRedis }));
      }
    }
  }
  const factories: StoreFactories = new Map();
  for (const [name, make] of loaded) {
    factories.set(name, () => {
      const store = make();
      defer(() => store.close());
      return store;
    });
  }
  return factories;
}
