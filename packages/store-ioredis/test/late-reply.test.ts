import { lateReplyScenarios } from "@mcp-persist/test-kit";
import { ioredisKit } from "./ioredis-kit";

lateReplyScenarios(ioredisKit);
