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

/**
 * A Cluster client that fails fast; the store owns it.
 *
 * A dead master fails its calls at once. ioredis's default retries a "Connection is closed"
 * every 100 ms (`retryDelayOnFailover`) up to 16 times, so every call on a dead master's slots
 * took the store's whole deadline until its replica was promoted (a third of the calls, on the
 * chaos failover test). That retry also carried calls over a node connection still opening,
 * which the Cluster's `enableOfflineQueue: false` refuses: with the retry off, the offline queue
 * goes on, so such calls wait in that node's queue for it to connect (a node that refuses the
 * connection rejects them at once). The store itself sends nothing while the Cluster is not ready
 * (see Readiness in cache-core), so an outage queues nothing to be sent later.
 */
export function createClusterClient(nodes: ClusterNode[], options: ClusterOptions = {}): Cluster {
  const client = new Cluster(nodes, {
    enableOfflineQueue: true,
    // Only beside the offline queue: with it turned off (by the caller), ioredis's retry is what
    // carries calls over a node connection still opening, so it keeps its default.
    retryDelayOnFailover: options.enableOfflineQueue === false ? undefined : 0,
    clusterRetryStrategy: retryDelay,
    ...options,
    redisOptions: { ...failFastNodeOptions(), ...options.redisOptions },
  });
  client.on("error", noop);
  return client;
}
