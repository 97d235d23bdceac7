import { createClient, createCluster, type RedisClientOptions, type RedisClusterOptions } from "redis";

function noop(): void {}

/** Reconnect soon and often: failing fast is only useful if recovery is fast too. */
const reconnectStrategy = (retries: number): number => Math.min((retries + 1) * 50, 1000);

/** What every connection the store opens itself gets, unless the caller says otherwise. */
function failFast<O extends { socket?: object; disableOfflineQueue?: boolean }>(options: O): O {
  return {
    // The store never queues; it fails at once while the client reconnects.
    disableOfflineQueue: true,
    ...options,
    socket: { reconnectStrategy, ...options.socket },
  };
}

/** A connecting client that fails fast; the store owns it. */
export function createNodeRedisClient(connection: string | RedisClientOptions = {}) {
  const client = createClient(failFast(typeof connection === "string" ? { url: connection } : connection));
  // Failures reach callers as rejected store calls; an "error" event without a listener would crash the process.
  client.on("error", noop);
  client.connect().catch(noop);
  return client;
}

/** A connecting cluster that fails fast; the store owns it. */
export function createNodeRedisCluster(options: RedisClusterOptions) {
  const cluster = createCluster({ ...options, defaults: failFast(options.defaults ?? {}) });
  cluster.on("error", noop);
  cluster.connect().catch(noop);
  return cluster;
}
