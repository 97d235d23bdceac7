import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import type { RedisCluster } from "@mcp-persist/test-redis";
import { closedAfterEach, PATIENT_TIMEOUT_MS, type StoreKind } from "./store-kinds";

/**
 * ioredis and node-redis stores on the loopback Redis Cluster `cluster()` (from `startRedisCluster`),
 * each closed after the test. No key prefix: on a cluster the tests ask for slots by key name.
 * `timeoutMs` defaults to PATIENT_TIMEOUT_MS: a slot map built on a loaded machine takes a while.
 * Call at collection time (it registers an `afterEach`).
 */
export function clusterStoreKinds(cluster: () => RedisCluster): StoreKind[] {
  const track = closedAfterEach();
  return [
    {
      name: "ioredis",
      redis: true,
      open: ({ timeoutMs = PATIENT_TIMEOUT_MS } = {}) =>
        track(ioredisStore({ cluster: { nodes: cluster().rootNodes }, timeoutMs })),
    },
    {
      name: "node-redis",
      redis: true,
      open: ({ timeoutMs = PATIENT_TIMEOUT_MS } = {}) =>
        track(
          nodeRedisStore({
            cluster: { rootNodes: cluster().rootNodes.map(({ host, port }) => ({ socket: { host, port } })) },
            timeoutMs,
          }),
        ),
    },
  ];
}
