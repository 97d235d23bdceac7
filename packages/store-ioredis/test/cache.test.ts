import { ioredisKit } from "./ioredis-kit";
import { cacheScenarios } from "./scenarios/cache-scenarios";

cacheScenarios("store-ioredis", ioredisKit);
