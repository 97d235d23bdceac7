import type { Store } from "@mcp-persist/cache-core";
import { type IoredisStore, ioredisStore } from "@mcp-persist/store-ioredis";
import type { RedisStoreKit } from "@mcp-persist/test-kit";
import { Cluster, Redis } from "ioredis";

function quiet<C extends Redis | Cluster>(client: C): C {
  client.on("error", () => {});
  return client;
}

/** Clients with ioredis' defaults, as an application would create them. */
export const defaultClient = (url: string, keyPrefix?: string) => quiet(new Redis(url, { keyPrefix }));

/** How store-ioredis makes its stores, for the shared scenarios. */
export const ioredisKit: RedisStoreKit = {
  created: (url, options) => ioredisStore({ connection: url, ...options }),
  createdCluster: (nodes, options) => ioredisStore({ cluster: { nodes }, ...options }),
  handedDefault: async (url, { keyPrefix, ...options } = {}) =>
    ioredisStore({ client: defaultClient(url, keyPrefix), ownsClient: true, ...options }),
  handedDefaultCluster: async (nodes, options) =>
    ioredisStore({ client: quiet(new Cluster(nodes)), ownsClient: true, ...options }),
  isReady: (store: Store) => (store as IoredisStore).client.status === "ready",
  bareDefaultClient: async (url) => {
    const client = defaultClient(url);
    await client.ping();
    return { get: (key) => client.get(key), drop: () => client.disconnect() };
  },
  clientAsOptions: async (url) => {
    const client = defaultClient(url);
    await client.ping();
    return { client, misuse: () => ioredisStore(client as never), drop: () => client.disconnect() };
  },
  built: { module: new URL("../dist/index.js", import.meta.url), factory: "ioredisStore" },
};
