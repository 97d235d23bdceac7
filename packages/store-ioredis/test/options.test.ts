import { optionScenarios } from "@mcp-persist/test-kit";
import { ioredisKit } from "./ioredis-kit";

optionScenarios(ioredisKit);
