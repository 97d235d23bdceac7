import type { RedisSubscriber, SubscriberEvents } from "@mcp-persist/cache-core/redis";
import { reconnectStrategy } from "./create-node-redis-client";
import type { NodeRedisClient, NodeRedisCommands } from "./node-redis-client";

function noop(): void {}

type MessageListener = (message: string, channel: string) => void;

/**
 * The slice of a node-redis client the bus subscribes through. node-redis' generic types keep
 * `duplicate` and the cluster's nodes out of {@link NodeRedisClient}; both exist on `redis` 5 and 6.
 */
interface SubscriberClient {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  readonly options?: { readonly socket?: object };
  duplicate(overrides: object): SubscriberClient;
  connect(): Promise<unknown>;
  destroy(): unknown;
  subscribe(channels: string[], listener: MessageListener): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  unsubscribe(channels: string[], listener: MessageListener): Promise<unknown>;
  on(event: "ready" | "connect" | "reconnecting" | "error", listener: () => void): unknown;
}

/** A cluster from `createCluster`: its master nodes, and the client it keeps for each. */
interface ClusterNodes {
  readonly masters: readonly { readonly address: string; readonly client?: { readonly isReady: boolean } }[];
  nodeClient(node: object): SubscriberClient | Promise<SubscriberClient>;
}

/**
 * PUBLISH. On a cluster, always through the same master node (the first by address), not a random
 * one per call as node-redis sends PUBLISH: from any node a message reaches every node, but two
 * messages sent through two nodes can arrive in either order, and one publisher's messages must
 * keep theirs. A master whose connection is lost (its client reconnecting) is passed over: node-redis
 * may keep a dead master in its list long after its replica took over (a topology refresh made
 * before the failover finds it still listed), and every publish would fail until then.
 */
export async function publishNodeRedis(
  client: NodeRedisClient,
  cluster: boolean,
  channel: string,
  message: string,
  view: NodeRedisCommands,
): Promise<unknown> {
  // `view`: the client with the store call's abort signal (see the adapter). A cluster's node
  // clients are its own, with their own command options.
  if (!cluster) return view.publish(channel, message);
  const nodes = client as unknown as ClusterNodes;
  let first: ClusterNodes["masters"][number] | undefined;
  let firstUp: ClusterNodes["masters"][number] | undefined;
  for (const master of nodes.masters) {
    if (first === undefined || master.address < first.address) first = master;
    // No client yet: not known to be down (nodeClient connects it).
    const up = master.client === undefined || master.client.isReady;
    if (up && (firstUp === undefined || master.address < firstUp.address)) firstUp = master;
  }
  first = firstUp ?? first;
  if (first === undefined) return client.publish(channel, message);
  const node = (await nodes.nodeClient(first)) as unknown as NodeRedisClient;
  return node.publish(channel, message);
}

/**
 * A connection of the bus's own: a duplicate of a standalone client, or on a cluster, of the client
 * of one master node picked at random (classic PUBLISH reaches every node; the bus opens another
 * if that node stays away). It reconnects for ever at the store's pace whatever the client's
 * settings. node-redis subscribes again by itself before it says `ready`; the bus's own SUBSCRIBE
 * then finds the channels in place, with the same listener, and sends nothing.
 */
export function openNodeRedisSubscriber(
  client: NodeRedisClient,
  cluster: boolean,
  events: SubscriberEvents,
): RedisSubscriber {
  let connection: SubscriberClient | undefined;
  let closed = false;
  const listener: MessageListener = (message, channel) => events.message(channel, message);

  const start = (source: SubscriberClient) => {
    if (closed) return;
    const duplicate = source.duplicate({
      socket: { ...source.options?.socket, reconnectStrategy },
      // Named in CLIENT LIST, as the ioredis store names its own.
      name: "mcp-persist-bus",
    });
    connection = duplicate;
    duplicate.on("error", () => {
      if (!duplicate.isReady) events.lost();
    });
    duplicate.on("reconnecting", () => events.lost());
    duplicate.on("ready", () => events.ready());
    // node-redis cannot stop a connection still being opened: it connects, then goes ready. It
    // says "connect" once the socket is open: a connection closed meanwhile is destroyed then.
    duplicate.on("connect", () => {
      if (closed) duplicate.destroy();
    });
    duplicate.connect().catch(noop);
  };

  if (cluster) {
    const { masters } = client as unknown as ClusterNodes;
    const master = masters[Math.floor(Math.random() * masters.length)];
    if (master === undefined) throw new Error("the cluster knows no master node yet");
    // Async on a cluster: until it is there, the bus sees a connection that is not ready.
    Promise.resolve((client as unknown as ClusterNodes).nodeClient(master)).then(start, noop);
  } else {
    start(client as unknown as SubscriberClient);
  }

  return {
    isReady: () => connection?.isReady === true,
    subscribe: (channels) =>
      connection === undefined ? notYet() : connection.subscribe([...channels], listener),
    unsubscribe: (channels) =>
      connection === undefined ? notYet() : connection.unsubscribe([...channels], listener),
    close() {
      closed = true;
      connection?.destroy();
    },
  };
}

function notYet(): Promise<never> {
  return Promise.reject(new Error("the bus's connection is not open yet"));
}
