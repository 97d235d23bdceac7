import { clusterScenarios } from "../../store-ioredis/test/scenarios/cluster-scenarios";
import { nodeRedisKit } from "./node-redis-kit";

clusterScenarios(nodeRedisKit);
