import type { RedisSubscriber, SubscriberEvents } from "@mcp-persist/cache-core/redis";
import { retryDelay } from "./create-ioredis-client";
import type { IoredisClient, IoredisNode, IoredisSubscriberClient } from "./ioredis-client";

function noop(): void {}

/**
 * The bus's connection: the store's own whatever the client's settings. It connects now (not
 * lazily), reconnects for ever at the store's pace (a handed-in client may not reconnect at all),
 * and leaves resubscribing to the bus, which does it after every `ready` (autoResubscribe would
 * only send each SUBSCRIBE twice). Nothing waits in its offline queue: the bus writes only when
 * it is ready.
 */
const SUBSCRIBER = {
  lazyConnect: false,
  autoResubscribe: false,
  enableOfflineQueue: false,
  retryStrategy: retryDelay,
  connectionName: "mcp-persist-bus",
};

/**
 * A duplicate of a standalone client, or on a `Cluster`, of one of its master nodes picked at
 * random (classic PUBLISH reaches every node; the bus opens another if that node stays away).
 */
export function openIoredisSubscriber(client: IoredisClient, events: SubscriberEvents): RedisSubscriber {
  let node: IoredisNode;
  if (client.isCluster) {
    const nodes = client.nodes?.("master") ?? [];
    const picked = nodes[Math.floor(Math.random() * nodes.length)];
    if (picked === undefined) throw new Error("the Cluster knows no master node yet");
    node = picked;
  } else {
    // A standalone ioredis client has duplicate(); the IoredisClient slice leaves it out only
    // because a Cluster's takes other arguments.
    node = client as unknown as IoredisNode;
  }
  return subscriberOn(node.duplicate(SUBSCRIBER), events);
}

/**
 * PUBLISH. On a Cluster, always through the same master node (the first by address), not a
 * random one per call as ioredis sends a command without keys: from any node a message reaches
 * every node, but two messages sent through two nodes can arrive in either order, and one
 * publisher's messages must keep theirs.
 */
export function publishIoredis(client: IoredisClient, channel: string, message: string): Promise<unknown> {
  if (!client.isCluster) return client.publish(channel, message);
  const nodes = client.nodes?.("master") ?? [];
  let first: IoredisNode | undefined;
  for (const node of nodes) {
    if (first === undefined || address(node) < address(first)) first = node;
  }
  return first === undefined ? client.publish(channel, message) : first.publish(channel, message);
}

const address = (node: IoredisNode): string => `${node.options.host}:${node.options.port}`;

function subscriberOn(connection: IoredisSubscriberClient, events: SubscriberEvents): RedisSubscriber {
  connection.on("error", noop);
  connection.on("message", (channel, message) => events.message(channel, message));
  connection.on("ready", () => events.ready());
  // "close" for every lost connection; the bus ignores one that was not ready.
  connection.on("close", () => events.lost());
  return {
    isReady: () => connection.status === "ready",
    subscribe: (channels) => connection.subscribe(...channels),
    unsubscribe: (channels) => connection.unsubscribe(...channels),
    close: () => connection.disconnect(),
  };
}
