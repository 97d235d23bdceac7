import { optionScenarios } from "@mcp-persist/test-kit";
import { nodeRedisKit } from "./node-redis-kit";

optionScenarios(nodeRedisKit);
