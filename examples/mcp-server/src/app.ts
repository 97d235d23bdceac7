import { createCache } from "@mcp-persist/cache-core";
import { createHealth, redisCheck } from "@mcp-persist/health";
import { type CallerOptions, createToolPolicies, registerMcpMetrics } from "@mcp-persist/mcp";
import { createToolRateLimiter } from "@mcp-persist/ratelimit";
import { createShutdown, type Shutdown } from "@mcp-persist/shutdown";
import * as promClient from "prom-client";
import type { Config } from "./config";
import { stderrLogger } from "./logger";
import { createOps, type Ops } from "./ops";
import { createStore } from "./store";
import type { ToolDeps } from "./tools";
import { createUpstream, UPSTREAM_LATENCY_MS } from "./upstream";

/** Everything the server is made of, whichever SDK line and transport serve it. */
export interface App {
  config: Config;
  logger: ReturnType<typeof stderrLogger>;
  shutdown: Shutdown;
  ops: Ops;
  /** What `registerTools` needs, for each server the SDK line builds. */
  tools: ToolDeps;
}

/**
 * Budget for the whole shutdown. The example promises to exit within 10 s of SIGTERM, open event
 * streams included (they are closed, not drained); this leaves room for the process to start
 * its exit. Half of it, at most, goes to draining calls in flight.
 */
const SHUTDOWN_TIMEOUT_MS = 8_000;

export function createApp(config: Config): App {
  const logger = stderrLogger("mcp-server-example");
  const shutdown = createShutdown({ stdin: config.transport === "stdio", timeoutMs: SHUTDOWN_TIMEOUT_MS });

  // One store for the cache, the rate limits and the locks: lru in process, or Redis (REDIS_URL).
  const store = createStore(config);
  shutdown.addStore(store);
  const cache = createCache({ store, defaultTtlMs: 60_000, logger });
  const limiter = createToolRateLimiter({ store, perCallerPerTool: { limit: 5, windowMs: 60_000 }, logger });

  // Over stdio there is neither a session nor auth: each process is a caller of its own (MCP_CALLER).
  // Over HTTP the caller is the session (v1) or the authenticated client.
  const caller: CallerOptions = config.transport === "stdio" ? { identity: config.stdioCaller } : {};
  const policies = createToolPolicies({ cache, limiter, caller, logger });

  const registry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: registry });
  registerMcpMetrics(policies, { client: promClient, registry });
  const upstreamCalls = new promClient.Counter({
    name: "mcp_upstream_calls_total",
    help: "Calls the tools made to their (stand-in) upstream APIs, by tool.",
    labelNames: ["tool"] as const,
    registers: [registry],
  });
  for (const tool of Object.keys(UPSTREAM_LATENCY_MS)) upstreamCalls.inc({ tool }, 0);

  const health = createHealth({
    shutdown,
    checks: [redisCheck(store, { name: "store", componentId: config.store })],
    serviceId: "mcp-persist-example",
  });
  return {
    config,
    logger,
    shutdown,
    ops: createOps(health, registry),
    tools: {
      policies,
      upstream: createUpstream(upstreamCalls),
      caller,
      track: (work) => shutdown.track(work),
    },
  };
}
