import type { CheckResult, HealthReport, HealthStatus } from "./types";

/** Service metadata copied into every report (draft-inadarei-api-health-check top-level fields). */
export interface ReportMetadata {
  /** Public version of the service (`"1"`). @default undefined */
  version?: string;
  /** Version of this deployment (a git SHA, an image tag). @default undefined */
  releaseId?: string;
  /** Unique identifier of the service instance. @default undefined */
  serviceId?: string;
  /** Human-friendly description of the service. @default undefined */
  description?: string;
}

const SEVERITY: Record<HealthStatus, number> = { pass: 0, warn: 1, fail: 2 };

/** The worst of `statuses`; `pass` when there are none. */
export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = "pass";
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}

function metadataFields(metadata: ReportMetadata): ReportMetadata {
  const fields: ReportMetadata = {};
  for (const field of ["version", "releaseId", "serviceId", "description"] as const) {
    const value = metadata[field];
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}

/** A report from check results, grouped by key (two Redis checks share `"redis:responseTime"`). */
export function buildReport(
  metadata: ReportMetadata,
  results: readonly (readonly [key: string, result: CheckResult])[],
): HealthReport {
  const checks: Record<string, CheckResult[]> = {};
  for (const [key, result] of results) (checks[key] ??= []).push(result);
  return {
    status: worstStatus(results.map(([, result]) => result.status)),
    ...metadataFields(metadata),
    checks,
  };
}

/** The report while shutting down: `fail`, without touching dependencies that are closing. */
export function shuttingDownReport(metadata: ReportMetadata): HealthReport {
  return { status: "fail", ...metadataFields(metadata), output: "shutting down", checks: {} };
}
