import { cacheScenarios } from "@mcp-persist/test-kit";
import { nodeRedisKit } from "./node-redis-kit";

cacheScenarios("store-node-redis", nodeRedisKit);
