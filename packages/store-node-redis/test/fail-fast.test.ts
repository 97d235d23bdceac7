import { failFastScenarios } from "@mcp-persist/test-kit";
import { nodeRedisKit } from "./node-redis-kit";

failFastScenarios(nodeRedisKit);
