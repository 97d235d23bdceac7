import { clusterScenarios } from "@mcp-persist/test-kit";
import { nodeRedisKit } from "./node-redis-kit";

clusterScenarios(nodeRedisKit);
