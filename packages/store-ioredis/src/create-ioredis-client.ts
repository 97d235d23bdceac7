import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from "ioredis";

function noop(): void {}

/** Reconnect soon and often: failing fast is only useful if recovery is fast too. */
export const retryDelay = (attempt: number): number => Math.min(attempt * 50, 1000);

/**
 * What every connection the store opens itself gets, unless the caller says otherwise. No
 * `commandTimeout`: the store's own deadline bounds every call, and a reply that comes after it
 * must still reach the store, which hands it to `onLateReply` (a lock Redis granted late is
 * released at once). A client timeout would also reject a reply already waiting in the socket
 * before a busy event loop could read it. A frozen server's pending commands stay queued in the
 * client either way (replies are matched in order); `close()` bounds its drain.
 */
function failFastNodeOptions() {
  return {
    // The store never queues; it fails at once while the client reconnects.
    maxRetriesPerRequest: 1,
    // Scripts are sent at most once anyway (OnceWrittenScript); nothing else needs a re-send.
    autoResendUnfulfilledCommands: false,
  };
}

/** A standalone client that fails fast; the store owns it. */
export function createRedisClient(connection: string | RedisOptions | undefined): Redis {
  const defaults: RedisOptions = {
    ...failFastNodeOptions(),
    enableOfflineQueue: false,
    retryStrategy: retryDelay,
  };
  const client =
    typeof connection === "string"
      ? new Redis(connection, defaults)
      : new Redis({ ...defaults, ...connection });
  // Failures reach callers as rejected store calls; without a listener ioredis prints each one.
  client.on("error", noop);
  return client;
}

/** A Cluster client that fails fast; the store owns it. */
export function createClusterClient(nodes: ClusterNode[], options: ClusterOptions = {}): Cluster {
  const client = new Cluster(nodes, {
    enableOfflineQueue: false,
    clusterRetryStrategy: retryDelay,
    ...options,
    redisOptions: { ...failFastNodeOptions(), ...options.redisOptions },
  });
  client.on("error", noop);
  return client;
}
