// Compiled (never run) by `pnpm typecheck` with `tsc --strict`: the real Redis clients, as an
// application constructs them, handed to every package that takes a client — the packages
// type their client parameters structurally, and this is where that structure meets the clients.
import { createCache } from "@mcp-persist/cache-core";
import { createHealth, redisCheck } from "@mcp-persist/health";
import { createShutdown } from "@mcp-persist/shutdown";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";

const ioredis = new Redis({ lazyConnect: true, maxRetriesPerRequest: 1 });
const ioredisCluster = new Cluster([{ host: "127.0.0.1", port: 7000 }], { lazyConnect: true });
const nodeRedis = createClient({ url: "redis://127.0.0.1:6380" });
const nodeRedisCluster = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:7000" }] });

const stores = [
  ioredisStore({ client: ioredis }),
  ioredisStore({ client: ioredisCluster }),
  nodeRedisStore({ client: nodeRedis }),
  nodeRedisStore({ client: nodeRedisCluster }),
];
const caches = stores.map((store) => createCache({ store, defaultTtlMs: 1000 }));

const shutdown = createShutdown();
for (const client of [ioredis, ioredisCluster, nodeRedis, nodeRedisCluster, ...stores])
  shutdown.addStore(client);
export const health = createHealth({
  shutdown,
  checks: [redisCheck(ioredis), redisCheck(nodeRedis), ...stores.map((store) => redisCheck(store))],
});
export { caches };
