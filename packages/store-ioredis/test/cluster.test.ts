import { ioredisKit } from "./ioredis-kit";
import { clusterScenarios } from "./scenarios/cluster-scenarios";

clusterScenarios(ioredisKit);
