/** The three states of draft-inadarei-api-health-check. */
export type HealthStatus = "pass" | "warn" | "fail";

/** What a check's `run` may resolve with to say more than "it answered". */
export interface CheckOutcome {
  /**
   * Overrides the status derived from latency. A `"fail"` from a non-critical check is
   * reported as `"warn"`.
   */
  status?: HealthStatus;
  /** Human-readable detail, shown in `output` when the status is not `"pass"`. */
  output?: string;
}

/** One dependency probed by the health endpoints. */
export interface HealthCheck {
  /** Component name: the part before the colon in the `checks` key (`"redis"` → `"redis:responseTime"`). */
  name: string;
  /**
   * Measurement name: the part after the colon. The observed value is always the check's
   * duration in milliseconds.
   * @default "responseTime"
   */
  measurement?: string;
  /** `componentId` in the report, to tell apart two checks of the same kind (two Redis, say). */
  componentId?: string;
  /** `componentType` in the report: `"datastore"`, `"component"`, `"system"` or a URI. */
  componentType?: string;
  /**
   * A critical check that fails makes the service `fail` (readiness 503); a non-critical one
   * only `warn`s (still 200).
   * @default true
   */
  critical?: boolean;
  /**
   * How long one run may take before it counts as failed. Keep it below your probe's timeout
   * (Kubernetes: `timeoutSeconds`, default 1 s) so the probe gets an answer, not a timeout.
   * At most 2147483647, the longest delay Node's timers hold.
   * @default the createHealth `timeoutMs` (500)
   */
  timeoutMs?: number;
  /** A run slower than this (ms) is reported as `warn` even though it answered. @default undefined (no threshold) */
  warnAfterMs?: number;
  /**
   * Resolves (or returns) when the dependency is healthy, rejects (or throws) when it is not.
   * What it resolves with is ignored unless it is a {@link CheckOutcome} (an object whose
   * `status` is `"pass"`, `"warn"` or `"fail"`), so `() => client.ping()` is a check as it
   * stands. `signal` is aborted, with a `HealthCheckTimeoutError` as its reason, when the run
   * times out: pass it on to drivers that accept one.
   */
  run(signal: AbortSignal): unknown;
}

/** One entry of the `checks` object of an `application/health+json` report. */
export interface CheckResult {
  componentId?: string;
  componentType?: string;
  /** The check's duration in milliseconds (the timeout, when it timed out). */
  observedValue: number;
  observedUnit: "ms";
  status: HealthStatus;
  /** When the reading was taken (ISO 8601). A cached result keeps its original time. */
  time: string;
  /** Why the status is not `pass`. Omitted on `pass`. */
  output?: string;
}

/** The body of `/health` (`application/health+json`, draft-inadarei-api-health-check). */
export interface HealthReport {
  status: HealthStatus;
  version?: string;
  releaseId?: string;
  serviceId?: string;
  description?: string;
  /** Present when the status is not derived from the checks (`"shutting down"`). */
  output?: string;
  checks: Record<string, CheckResult[]>;
}
