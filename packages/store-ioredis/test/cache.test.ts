import { cacheScenarios } from "@mcp-persist/test-kit";
import { ioredisKit } from "./ioredis-kit";

cacheScenarios("store-ioredis", ioredisKit);
