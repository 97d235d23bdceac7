import { ioredisKit } from "./ioredis-kit";
import { conformanceScenarios } from "./scenarios/conformance-scenarios";

conformanceScenarios(ioredisKit);
