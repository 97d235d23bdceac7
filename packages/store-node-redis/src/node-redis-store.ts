import { createRedisStore, type RedisStore, storeClient } from "@mcp-persist/cache-core/redis";
import { createNodeRedisClient, createNodeRedisCluster } from "./create-node-redis-client";
import { nodeRedisAdapter } from "./node-redis-adapter";
import type { NodeRedisClient } from "./node-redis-client";
import type {
  NodeRedisClientStoreOptions,
  NodeRedisClusterStoreOptions,
  NodeRedisConnectionStoreOptions,
} from "./node-redis-store-options";

const PKG = "@mcp-persist/store-node-redis";

/** A `Store` on node-redis; `store.client` is the client it uses. */
export type NodeRedisStore<C extends NodeRedisClient = NodeRedisClient> = RedisStore<C>;

/**
 * A `Store` on Redis through node-redis: GET, SET PX, DEL, EVALSHA (EVAL on NOSCRIPT), PING, and a
 * `close()` that drains an owned client for at most `timeoutMs`, then drops it.
 *
 * ```ts
 * const store = nodeRedisStore({ connection: "redis://127.0.0.1:6379" }); // creates, connects and owns a fail-fast client
 * const store = nodeRedisStore({ client: await createClient().connect() }); // uses yours, never closes it
 * ```
 * A client `keyPrefix` (node-redis 6.1+) is honoured: GET/SET/DEL keys and script KEYS are
 * prefixed once, by node-redis.
 * @throws {InvalidOptionError} for options that are not a plain object (a client passed in their
 *   place: pass it as `{ client }`), an unknown option name, or a `timeoutMs` that is not a
 *   positive finite number.
 */
export function nodeRedisStore<C extends NodeRedisClient>(
  options: NodeRedisClientStoreOptions<C>,
): NodeRedisStore<C>;
export function nodeRedisStore(
  options: NodeRedisClusterStoreOptions,
): NodeRedisStore<ReturnType<typeof createNodeRedisCluster>>;
export function nodeRedisStore(
  options?: NodeRedisConnectionStoreOptions,
): NodeRedisStore<ReturnType<typeof createNodeRedisClient>>;
export function nodeRedisStore(
  options:
    | NodeRedisClientStoreOptions<NodeRedisClient>
    | NodeRedisClusterStoreOptions
    | NodeRedisConnectionStoreOptions = {},
): NodeRedisStore {
  const { client, ownsClient, timeoutMs } = storeClient(
    options,
    {
      cluster: createNodeRedisCluster,
      connection: createNodeRedisClient,
    },
    PKG,
    "nodeRedisStore",
  );
  const adapter = nodeRedisAdapter(client, timeoutMs);
  return createRedisStore({ name: "node-redis", package: PKG, adapter, timeoutMs, ownsClient });
}
