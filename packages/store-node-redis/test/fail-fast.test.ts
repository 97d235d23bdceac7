import { failFastScenarios } from "../../store-ioredis/test/scenarios/fail-fast-scenarios";
import { nodeRedisKit } from "./node-redis-kit";

failFastScenarios(nodeRedisKit);
