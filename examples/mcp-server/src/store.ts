import type { Store } from "@mcp-persist/cache-core";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { lruStore } from "@mcp-persist/store-lru";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import type { Config } from "./config";

/**
 * The one line that moves the server from one process to a fleet: the cache, the rate limits
 * and the locks all live in this store, and nothing else changes with it.
 */
export function createStore(config: Pick<Config, "store" | "redisUrl">): Store {
  switch (config.store) {
    case "lru":
      return lruStore({ max: 10_000 });
    case "ioredis":
      return ioredisStore({ connection: config.redisUrl as string });
    case "node-redis":
      return nodeRedisStore({ connection: config.redisUrl as string });
  }
}
