import { clusterScenarios } from "@mcp-persist/test-kit";
import { ioredisKit } from "./ioredis-kit";

clusterScenarios(ioredisKit);
