import type { OwnedClientOption, RedisStoreOptions } from "@mcp-persist/cache-core/redis";
import type { ClusterNode, ClusterOptions, RedisOptions } from "ioredis";
import type { IoredisClient } from "./ioredis-client";

/** {@link ioredisStore} on a client you created: standalone or Cluster, ioredis 5 or 6. */
export interface IoredisClientStoreOptions<C extends IoredisClient>
  extends RedisStoreOptions,
    OwnedClientOption {
  /**
   * Your client. The store enforces its own deadline whatever the client's settings; see the
   * README for the settings it recommends (a client that fails fast also frees memory sooner).
   */
  client: C;
}

/** {@link ioredisStore} creating a standalone client, set to fail fast; `close()` quits it. */
export interface IoredisConnectionStoreOptions extends RedisStoreOptions {
  /**
   * A `redis://` URL or ioredis options. Unless you set them, the store adds
   * `enableOfflineQueue: false`, `maxRetriesPerRequest: 1`, `autoResendUnfulfilledCommands: false`
   * and a reconnect delay growing to 1 s (no `commandTimeout`: a late reply must reach the store).
   * @default "redis://127.0.0.1:6379"
   */
  connection?: string | RedisOptions;
}

/** {@link ioredisStore} creating a Cluster client, set to fail fast; `close()` quits it. */
export interface IoredisClusterStoreOptions extends RedisStoreOptions {
  /**
   * Seed nodes and options for `new Cluster(nodes, options)`. Unless you set them, the store adds
   * `retryDelayOnFailover: 0` with `enableOfflineQueue: true` (a dead master fails its calls at
   * once; with `enableOfflineQueue: false` the retry keeps ioredis's default), a cluster retry
   * delay growing to 1 s, and for each node `maxRetriesPerRequest: 1`,
   * `autoResendUnfulfilledCommands: false`.
   */
  cluster: { nodes: ClusterNode[]; options?: ClusterOptions };
}
