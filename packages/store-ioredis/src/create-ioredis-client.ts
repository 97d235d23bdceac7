import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from "ioredis";

function noop(): void {}

/** Reconnect soon and often: failing fast is only useful if recovery is fast too. */
const retryDelay = (attempt: number): number => Math.min(attempt * 50, 1000);

/** What every connection the store opens itself gets, unless the caller says otherwise. */
function failFastNodeOptions(timeoutMs: number) {
  return {
    // The store never queues; it fails at once while the client reconnects.
    maxRetriesPerRequest: 1,
    // Scripts are sent at most once anyway (OnceWrittenScript); nothing else needs a re-send.
    autoResendUnfulfilledCommands: false,
    // Frees commands the store has given up on, so a hung server does not pile them up.
    commandTimeout: timeoutMs,
  };
}

/** A standalone client that fails fast; the store owns it. */
export function createRedisClient(connection: string | RedisOptions | undefined, timeoutMs: number): Redis {
  const defaults: RedisOptions = {
    ...failFastNodeOptions(timeoutMs),
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
export function createClusterClient(
  nodes: ClusterNode[],
  options: ClusterOptions = {},
  timeoutMs: number,
): Cluster {
  const client = new Cluster(nodes, {
    enableOfflineQueue: false,
    clusterRetryStrategy: retryDelay,
    ...options,
    redisOptions: { ...failFastNodeOptions(timeoutMs), ...options.redisOptions },
  });
  client.on("error", noop);
  return client;
}
