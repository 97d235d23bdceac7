import { reconnectScenarios } from "@mcp-persist/test-kit";
import { nodeRedisKit } from "./node-redis-kit";

// node-redis rejects, and never re-sends, a command whose reply a dropped connection lost, so
// there is no twice-applied control here as in store-ioredis: the scenarios show the store keeps it so.
reconnectScenarios(nodeRedisKit);
