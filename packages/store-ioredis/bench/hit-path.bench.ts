import { ioredisStore } from "@mcp-persist/store-ioredis";
import { startRedis } from "@mcp-persist/test-redis";
import { hitPathBenchmarks } from "./hit-path-suite";

const server = await startRedis();
const store = ioredisStore({ connection: server.url });
await store.ping(); // connected: a store-created client has no offline queue
await hitPathBenchmarks("ioredis", store, store.client, async () => {
  await store.close();
  await server.stop();
});
