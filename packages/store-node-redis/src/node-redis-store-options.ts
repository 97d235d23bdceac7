import type { OwnedClientOption, RedisStoreOptions } from "@mcp-persist/cache-core/redis";
import type { RedisClientOptions, RedisClusterOptions } from "redis";
import type { NodeRedisClient } from "./node-redis-client";

/** {@link nodeRedisStore} on a client or cluster you created and connected, `redis` 5 or 6. */
export interface NodeRedisClientStoreOptions<C extends NodeRedisClient>
  extends RedisStoreOptions,
    OwnedClientOption {
  /**
   * Your client, after `await client.connect()`. The store enforces its own deadline whatever the
   * client's settings; see the README for the settings it recommends.
   */
  client: C;
}

/** {@link nodeRedisStore} creating and connecting a client set to fail fast; `close()` closes it. */
export interface NodeRedisConnectionStoreOptions extends RedisStoreOptions {
  /**
   * A `redis://` URL or `createClient` options. Unless you set them, the store adds
   * `disableOfflineQueue: true` and `socket.reconnectStrategy` (a delay growing to 1 s).
   * @default "redis://127.0.0.1:6379"
   */
  connection?: string | RedisClientOptions;
}

/** {@link nodeRedisStore} creating and connecting a cluster set to fail fast; `close()` closes it. */
export interface NodeRedisClusterStoreOptions extends RedisStoreOptions {
  /**
   * `createCluster` options (`rootNodes`, and credentials or TLS in `defaults`). Unless you set
   * them, each node gets `disableOfflineQueue: true` and `socket.reconnectStrategy` (up to 1 s).
   */
  cluster: RedisClusterOptions;
}
