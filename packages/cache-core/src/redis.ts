export type {
  RedisClientAdapter,
  RedisSubscriber,
  ScriptCall,
  SubscriberEvents,
} from "./redis/client-adapter";
export { createRedisStore, type RedisStore, type RedisStoreParts } from "./redis/create-redis-store";
export { RedisTimeoutError, StoreCommandError, StoreUnavailableError } from "./redis/errors";
export {
  DEFAULT_REDIS_TIMEOUT_MS,
  type OwnedClientOption,
  type RedisStoreOptions,
  resolveTimeoutMs,
  storeClient,
} from "./redis/redis-store-options";
