import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { hitPathBenchmarks } from "../../store-ioredis/bench/hit-path-suite";

await hitPathBenchmarks("node-redis", (url) => nodeRedisStore({ connection: url }));
