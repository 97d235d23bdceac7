export type { ReportMetadata } from "./build-report";
export { createHealth, type Health, type HealthOptions, type ShutdownState } from "./create-health";
export {
  HealthCheckTimeoutError,
  HealthError,
  type HealthErrorCode,
  HealthOptionError,
  InvalidOptionError,
} from "./errors";
export type { HealthListenOptions, HealthServer } from "./listen";
export type { NodeHealthHandler } from "./node-handler";
export { type Pingable, type RedisCheckOptions, redisCheck } from "./redis-check";
export type { CheckOutcome, CheckResult, HealthCheck, HealthReport, HealthStatus } from "./types";
