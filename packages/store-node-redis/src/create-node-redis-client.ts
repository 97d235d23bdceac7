import { createClient, createCluster, type RedisClientOptions, type RedisClusterOptions } from "redis";

function noop(): void {}

/** Reconnect soon and often: failing fast is only useful if recovery is fast too. */
export const reconnectStrategy = (retries: number): number => Math.min((retries + 1) * 50, 1000);

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
  // node-redis cannot stop a connection that is still being opened: close() or destroy() leaves
  // the socket to connect (and go ready), and it keeps the process alive for ever. The client says
  // "connect" as soon as that socket is open: if the store was closed meanwhile, destroy it then.
  client.on("connect", () => {
    if (!client.isOpen) client.destroy();
  });
  client.connect().catch(noop);
  return client;
}

/**
 * How soon, after a node's first failed reconnection, the cluster reads its slot map again (and
 * again as often while the node stays down). node-redis 6 waits 5 s by default, so after a master
 * dies its slots stay unserved for up to 5 s past its replica's promotion; ioredis follows the new
 * map within a second. One `CLUSTER SLOTS` every 300 ms while a node is down costs nothing, and
 * service comes back within about that of the promotion. redis 5 has no such option and ignores it.
 */
export const TOPOLOGY_REFRESH_AFTER_RECONNECT_MS = 300;

/** A connecting cluster that fails fast; the store owns it. */
export function createNodeRedisCluster(options: RedisClusterOptions) {
  const cluster = createCluster({
    topologyRefreshOnReconnectionAttemptStrategy: TOPOLOGY_REFRESH_AFTER_RECONNECT_MS,
    ...options,
    defaults: failFast(options.defaults ?? {}),
  });
  cluster.on("error", noop);
  // The same for a cluster closed while it discovers its nodes: it says nothing then, but its
  // connect() resolves with the node connections open. Destroy them.
  cluster.connect().then(() => {
    if (!cluster.isOpen) cluster.destroy();
  }, noop);
  return cluster;
}
