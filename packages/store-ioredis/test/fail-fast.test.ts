import { failFastScenarios } from "@mcp-persist/test-kit";
import { ioredisKit } from "./ioredis-kit";

failFastScenarios(ioredisKit);
