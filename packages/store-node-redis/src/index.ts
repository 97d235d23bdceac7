export type {
  NodeRedisClient,
  NodeRedisCommands,
  NodeRedisScriptCommands,
  NodeRedisScriptOptions,
} from "./node-redis-client";
export { type NodeRedisStore, nodeRedisStore } from "./node-redis-store";
export type {
  NodeRedisClientStoreOptions,
  NodeRedisClusterStoreOptions,
  NodeRedisConnectionStoreOptions,
} from "./node-redis-store-options";
