import { ioredisKit } from "./ioredis-kit";
import { failFastScenarios } from "./scenarios/fail-fast-scenarios";

failFastScenarios(ioredisKit);
