export type { IoredisClient } from "./ioredis-client";
export { type IoredisStore, ioredisStore } from "./ioredis-store";
export type {
  IoredisClientStoreOptions,
  IoredisClusterStoreOptions,
  IoredisConnectionStoreOptions,
} from "./ioredis-store-options";
