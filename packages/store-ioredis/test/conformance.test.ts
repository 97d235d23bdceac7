import { ioredisKit } from "./ioredis-kit";
import { conformanceScenarios } from "./scenarios/conformance-scenarios";
import { exitScenarios } from "./scenarios/exit-scenarios";

conformanceScenarios(ioredisKit);
exitScenarios(ioredisKit);
