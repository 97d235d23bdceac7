import { cacheScenarios } from "../../store-ioredis/test/scenarios/cache-scenarios";
import { nodeRedisKit } from "./node-redis-kit";

cacheScenarios("store-node-redis", nodeRedisKit);
