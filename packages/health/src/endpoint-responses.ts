import type { HealthReport } from "./types";

/** A framework-neutral HTTP answer; the node and Fetch adapters both write exactly this. */
export interface HealthResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Answers one request, or `undefined` when the path is not a health endpoint. */
export type Respond = (method: string, pathname: string) => Promise<HealthResponse> | undefined;

// Probes must always see a fresh answer, never one a proxy kept.
const NO_STORE = { "cache-control": "no-store" };
const TEXT = { ...NO_STORE, "content-type": "text/plain; charset=utf-8" };

export function textResponse(
  status: number,
  body: string,
  extraHeaders: Record<string, string> = {},
): HealthResponse {
  return { status, headers: { ...TEXT, ...extraHeaders }, body: `${body}\n` };
}

export function healthJsonResponse(report: HealthReport): HealthResponse {
  return {
    status: report.status === "fail" ? 503 : 200,
    headers: { ...NO_STORE, "content-type": "application/health+json" },
    body: JSON.stringify(report),
  };
}

function keysWith(report: HealthReport, status: "warn" | "fail"): string {
  return Object.entries(report.checks)
    .filter(([, results]) => results.some((result) => result.status === status))
    .map(([key]) => key)
    .join(", ");
}

/** `/readyz`: 503 while shutting down or when a critical check fails; warnings stay ready. */
export function readinessResponse(report: HealthReport): HealthResponse {
  if (report.output !== undefined && report.status === "fail")
    return textResponse(503, `not ready: ${report.output}`);
  if (report.status === "fail") return textResponse(503, `not ready: failing ${keysWith(report, "fail")}`);
  if (report.status === "warn") return textResponse(200, `ok (warn: ${keysWith(report, "warn")})`);
  return textResponse(200, "ok");
}
