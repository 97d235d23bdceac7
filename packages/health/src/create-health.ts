import { describe, optionNames, given as orDefault } from "@mcp-persist/internal";
import { buildReport, type ReportMetadata, shuttingDownReport } from "./build-report";
import { CheckRunner } from "./check-runner";
import {
  type HealthResponse,
  healthJsonResponse,
  type Respond,
  readinessResponse,
  textResponse,
} from "./endpoint-responses";
import { InvalidOptionError } from "./errors";
import { createFetchHandler, handleFetchRequest } from "./fetch-handler";
import { type HealthListenOptions, type HealthServer, listenHealth } from "./listen";
import { createNodeHandler, handleNodeRequest, type NodeHealthHandler } from "./node-handler";
import type { HealthCheck, HealthReport } from "./types";
import { httpPath, nonNegativeMs, optionalString, optionsObject, positiveMs } from "./validate-options";

/** Anything that knows whether the process is shutting down, e.g. `@mcp-persist/shutdown`. */
export interface ShutdownState {
  isShuttingDown(): boolean;
}

export interface HealthOptions extends ReportMetadata {
  /** The dependencies `/readyz` and `/health` probe. `/livez` never runs them. @default [] */
  checks?: HealthCheck[];
  /**
   * Default per-check timeout in ms (a check's own `timeoutMs` wins). At most 2147483647, the
   * longest delay Node's timers hold.
   * @default 500
   */
  timeoutMs?: number;
  /**
   * How long a check's result is reused, in ms. Concurrent probes always share one run in
   * flight; 0 turns only the reuse off. At most 2147483647.
   * @default 1000
   */
  cacheMs?: number;
  /**
   * Readiness fails, and `/health` reports `fail`, from the moment `isShuttingDown()` is true.
   * `markShuttingDown()` does the same without one.
   * @default undefined
   */
  shutdown?: ShutdownState;
  /** Endpoint paths. @default { live: "/livez", ready: "/readyz", health: "/health" } */
  paths?: { live?: string; ready?: string; health?: string };
}

export interface Health {
  /** Runs the checks (or reuses fresh results) and returns the `application/health+json` body. */
  report(): Promise<HealthReport>;
  /** Fails readiness from now on; liveness is unaffected. */
  markShuttingDown(): void;
  /** True after `markShuttingDown()` or once the `shutdown` option says so. */
  isShuttingDown(): boolean;
  /** node:http listener and express/connect middleware: unknown paths go to `next()`, or 404. */
  readonly nodeHandler: NodeHealthHandler;
  /** Answers a health request and returns true, or returns false and leaves `res` alone. */
  handleNode(req: Parameters<NodeHealthHandler>[0], res: Parameters<NodeHealthHandler>[1]): boolean;
  /** Fetch API handler: unknown paths get a 404 Response. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Fetch API: the answer, or `undefined` for unknown paths (the caller routes them). */
  handleFetch(request: Request): Promise<Response | undefined>;
  /** Serves the endpoints on their own port. */
  listen(options?: HealthListenOptions): Promise<HealthServer>;
}

const HEALTH_OPTIONS = optionNames<HealthOptions>({
  checks: true,
  timeoutMs: true,
  cacheMs: true,
  shutdown: true,
  paths: true,
  version: true,
  releaseId: true,
  serviceId: true,
  description: true,
});

function buildRunners(checks: unknown, defaults: { timeoutMs: number; cacheMs: number }): CheckRunner[] {
  if (!Array.isArray(checks))
    throw new InvalidOptionError(`checks must be an array, got ${describe(checks)}`);
  const seen = new Set<string>();
  // Array.from visits holes (as undefined, refused below), where map would skip them and leave
  // the report a hole to read.
  return Array.from(checks, (check: HealthCheck, index) => {
    const runner = new CheckRunner(check, defaults, index);
    // Same key and same componentId would be two indistinguishable entries in the report.
    const identity = `${runner.key} ${runner.componentId ?? ""}`;
    if (seen.has(identity)) {
      throw new InvalidOptionError(
        `checks[${index}] repeats the key "${runner.key}" with the same componentId; give each a distinct componentId`,
      );
    }
    seen.add(identity);
    return runner;
  });
}

function buildPaths(value: unknown): { live: string; ready: string; health: string } {
  const paths = value === undefined ? {} : optionsObject("paths", value, ["live", "ready", "health"]);
  const resolved = {
    live: httpPath("paths.live", orDefault(paths.live, "/livez")),
    ready: httpPath("paths.ready", orDefault(paths.ready, "/readyz")),
    health: httpPath("paths.health", orDefault(paths.health, "/health")),
  };
  if (new Set(Object.values(resolved)).size !== 3) {
    throw new InvalidOptionError(`paths must be three different paths, got ${JSON.stringify(resolved)}`);
  }
  return resolved;
}

function buildMetadata(options: Record<string, unknown>): ReportMetadata {
  return {
    version: optionalString("version", options.version),
    releaseId: optionalString("releaseId", options.releaseId),
    serviceId: optionalString("serviceId", options.serviceId),
    description: optionalString("description", options.description),
  };
}

function shutdownState(value: unknown): ShutdownState | undefined {
  if (value === undefined) return undefined;
  if (typeof (value as Partial<ShutdownState> | null)?.isShuttingDown !== "function") {
    throw new InvalidOptionError(
      `shutdown must have an isShuttingDown() method (an @mcp-persist/shutdown instance fits), got ${describe(value)}`,
    );
  }
  return value as ShutdownState;
}

/**
 * Liveness, readiness and `application/health+json` endpoints over a set of checks. Every
 * option is checked here, so a bad one fails at startup with a `InvalidOptionError`, never at
 * the first probe.
 */
export function createHealth(options: HealthOptions = {}): Health {
  const given = optionsObject("createHealth() options", options, HEALTH_OPTIONS);
  // Only an option left out takes its default: `null` is a wrong type like any other.
  const defaults = {
    timeoutMs: positiveMs("timeoutMs", orDefault(given.timeoutMs, 500)),
    cacheMs: nonNegativeMs("cacheMs", orDefault(given.cacheMs, 1000)),
  };
  const runners = buildRunners(orDefault(given.checks, []), defaults);
  const paths = buildPaths(given.paths);
  const metadata = buildMetadata(given);
  const shutdown = shutdownState(given.shutdown);
  let marked = false;
  const isShuttingDown = () => marked || shutdown?.isShuttingDown() === true;

  const report = async (): Promise<HealthReport> => {
    if (isShuttingDown()) return shuttingDownReport(metadata);
    const results = await Promise.all(
      runners.map(async (runner) => [runner.key, await runner.result()] as const),
    );
    // Shutdown may have begun while the checks ran: from then on no answer may say ready.
    if (isShuttingDown()) return shuttingDownReport(metadata);
    return buildReport(metadata, results);
  };

  const endpoints = new Map<string, () => Promise<HealthResponse>>([
    // Liveness is the event loop answering: no check, no dependency, not even shutdown.
    [paths.live, async () => textResponse(200, "ok")],
    [paths.ready, async () => readinessResponse(await report())],
    [paths.health, async () => healthJsonResponse(await report())],
  ]);
  const respond: Respond = (method, pathname) => {
    const endpoint = endpoints.get(pathname);
    if (endpoint === undefined) return undefined;
    if (method !== "GET" && method !== "HEAD") {
      return Promise.resolve(textResponse(405, "method not allowed", { allow: "GET, HEAD" }));
    }
    return endpoint();
  };

  const nodeHandler = createNodeHandler(respond);
  return {
    report,
    markShuttingDown: () => {
      marked = true;
    },
    isShuttingDown,
    nodeHandler,
    handleNode: (req, res) => handleNodeRequest(respond, req, res),
    fetch: createFetchHandler(respond),
    handleFetch: (request) => handleFetchRequest(respond, request),
    listen: (listenOptions = {}) => listenHealth(nodeHandler, listenOptions),
  };
}
