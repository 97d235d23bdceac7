import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { startRedis } from "@mcp-persist/test-redis";
import { hitPathBenchmarks } from "../../store-ioredis/bench/hit-path-suite";

const server = await startRedis();
const store = nodeRedisStore({ connection: server.url });
await store.ping(); // connected: a store-created client has no offline queue
await hitPathBenchmarks("node-redis", store, store.client, async () => {
  await store.close();
  await server.stop();
});
