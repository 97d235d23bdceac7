import { lateReplyScenarios } from "../../store-ioredis/test/scenarios/late-reply-scenarios";
import { nodeRedisKit } from "./node-redis-kit";

lateReplyScenarios(nodeRedisKit);
