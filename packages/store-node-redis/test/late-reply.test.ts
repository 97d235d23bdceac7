import { lateReplyScenarios } from "@mcp-persist/test-kit";
import { nodeRedisKit } from "./node-redis-kit";

lateReplyScenarios(nodeRedisKit);
