import { createRedisStore, type RedisStore, storeClient } from "@mcp-persist/cache-core/redis";
import type { Cluster, Redis } from "ioredis";
import { createClusterClient, createRedisClient } from "./create-ioredis-client";
import { ioredisAdapter } from "./ioredis-adapter";
import type { IoredisClient } from "./ioredis-client";
import type {
  IoredisClientStoreOptions,
  IoredisClusterStoreOptions,
  IoredisConnectionStoreOptions,
} from "./ioredis-store-options";

const PKG = "@mcp-persist/store-ioredis";

/** A `Store` on ioredis; `store.client` is the client it uses. */
export type IoredisStore<C extends IoredisClient = IoredisClient> = RedisStore<C>;

/**
 * A `Store` on Redis through ioredis: GET, SET PX, DEL, EVALSHA (EVAL on NOSCRIPT), PING, QUIT.
 *
 * ```ts
 * const store = ioredisStore({ connection: "redis://127.0.0.1:6379" }); // creates and owns a fail-fast client
 * const store = ioredisStore({ client: existingRedisOrCluster });       // uses yours, never quits it
 * ```
 * A client `keyPrefix` is honoured: GET/SET/DEL keys and script KEYS are prefixed once, by ioredis.
 * @throws {InvalidOptionError} for options that are not a plain object (a client passed in their
 *   place: pass it as `{ client }`), an unknown option name, or a `timeoutMs` that is not a
 *   positive finite number.
 */
export function ioredisStore<C extends IoredisClient>(options: IoredisClientStoreOptions<C>): IoredisStore<C>;
export function ioredisStore(options: IoredisClusterStoreOptions): IoredisStore<Cluster>;
export function ioredisStore(options?: IoredisConnectionStoreOptions): IoredisStore<Redis>;
export function ioredisStore(
  options:
    | IoredisClientStoreOptions<IoredisClient>
    | IoredisClusterStoreOptions
    | IoredisConnectionStoreOptions = {},
): IoredisStore {
  const { client, ownsClient, timeoutMs } = storeClient(
    options,
    {
      cluster: (cluster) => createClusterClient(cluster.nodes, cluster.options),
      connection: createRedisClient,
    },
    PKG,
    "ioredisStore",
  );
  return createRedisStore({
    name: "ioredis",
    package: PKG,
    adapter: ioredisAdapter(client),
    timeoutMs,
    ownsClient,
  });
}
