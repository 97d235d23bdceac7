import { conformanceScenarios } from "../../store-ioredis/test/scenarios/conformance-scenarios";
import { nodeRedisKit } from "./node-redis-kit";

conformanceScenarios(nodeRedisKit);
