import { conformanceScenarios, exitScenarios } from "@mcp-persist/test-kit";
import { ioredisKit } from "./ioredis-kit";

conformanceScenarios(ioredisKit);
exitScenarios(ioredisKit);
