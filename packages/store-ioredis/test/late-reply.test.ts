import { ioredisKit } from "./ioredis-kit";
import { lateReplyScenarios } from "./scenarios/late-reply-scenarios";

lateReplyScenarios(ioredisKit);
