export { RedisHarnessError, type RedisHarnessErrorCode } from "./errors";
export { freePort } from "./free-port";
export { pingRedis } from "./ping";
export { runningRedisPids } from "./process-registry";
export { redisCommand } from "./redis-command";
export { type InfoClient, redisCpuUs } from "./server-cpu";
export { type RedisServer, type StartRedisOptions, startRedis } from "./start-redis";
export { type RedisCluster, type StartRedisClusterOptions, startRedisCluster } from "./start-redis-cluster";
