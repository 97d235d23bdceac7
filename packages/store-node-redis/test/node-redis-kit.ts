import type { Store } from "@mcp-persist/cache-core";
import { type NodeRedisStore, nodeRedisStore } from "@mcp-persist/store-node-redis";
import type { Node, RedisStoreKit } from "@mcp-persist/test-kit";
import { createClient, createCluster, type RedisClientType } from "redis";

const rootNodes = (nodes: Node[]) => nodes.map(({ host, port }) => ({ socket: { host, port } }));

/** A client with node-redis' defaults, connected, as an application would create it. */
export async function defaultClient(url: string, keyPrefix?: string): Promise<RedisClientType> {
  const client = createClient({ url, keyPrefix });
  client.on("error", () => {});
  return client.connect();
}

/** How store-node-redis makes its stores, for the shared scenarios. */
export const nodeRedisKit: RedisStoreKit = {
  created: (url, options) => nodeRedisStore({ connection: url, ...options }),
  createdCluster: (nodes, options) =>
    nodeRedisStore({ cluster: { rootNodes: rootNodes(nodes) }, ...options }),
  handedDefault: async (url, { keyPrefix, ...options } = {}) =>
    nodeRedisStore({ client: await defaultClient(url, keyPrefix), ownsClient: true, ...options }),
  handedDefaultCluster: async (nodes, options) => {
    const cluster = createCluster({ rootNodes: rootNodes(nodes) });
    cluster.on("error", () => {});
    return nodeRedisStore({ client: await cluster.connect(), ownsClient: true, ...options });
  },
  isReady: (store: Store) => (store as NodeRedisStore).client.isReady,
  bareDefaultClient: async (url) => {
    const client = await defaultClient(url);
    return { get: (key) => client.get(key), drop: () => client.destroy() };
  },
  clientAsOptions: async (url) => {
    const client = await defaultClient(url);
    return { client, misuse: () => nodeRedisStore(client as never), drop: () => client.destroy() };
  },
  built: { module: new URL("../dist/index.js", import.meta.url), factory: "nodeRedisStore" },
};
