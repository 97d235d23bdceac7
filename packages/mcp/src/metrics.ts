import { type PromClientLike, type PromCounterLike, registerCacheMetrics } from "@mcp-persist/cache-core";
import { describeValue } from "@mcp-persist/keys";
import { invalidOption, optionsObject } from "./errors";
import type { McpStats, McpToolStats } from "./policy-stats";

/** Options of {@link registerMcpMetrics}. */
export interface McpMetricsOptions<Registry> {
  /** The prom-client module: `import * as client from "prom-client"`. */
  client: PromClientLike<Registry>;
  /** Where the counters are registered. @default client.register (the global registry) */
  registry?: Registry;
  /** Prepended to every metric name. @default "" */
  prefix?: string;
}

/**
 * Exports the policies' counts as Prometheus counters labelled by tool: the cache's
 * (`cache_hits_total`, `cache_misses_total`, … from `registerCacheMetrics`, when the policies
 * have a cache) and `mcp_denied_total`, `mcp_busy_total`, `mcp_once_unknown_total`. Filled from
 * `policies.stats()` when scraped, so calls do no metrics work. Call it once per registry.
 * @throws {InvalidOptionError} for policies without `stats()`, or options without prom-client's
 * `Counter` and `register` in `client`, before any counter is registered.
 */
export function registerMcpMetrics<Registry>(
  policies: {
    stats(): McpStats;
    readonly cache?: { stats(): import("@mcp-persist/cache-core").CacheStats } | undefined;
  },
  options: McpMetricsOptions<Registry>,
): void {
  if (typeof policies?.stats !== "function") {
    throw invalidOption(
      `registerMcpMetrics() takes the policies from createToolPolicies() first, got ${describeValue(policies)}`,
    );
  }
  const checked = optionsObject("registerMcpMetrics", options);
  const { client, prefix = "" } = checked;
  if (
    typeof client?.Counter !== "function" ||
    (checked.registry === undefined && client.register === undefined)
  ) {
    throw invalidOption(
      `registerMcpMetrics(): client must be the prom-client module (import * as client from "prom-client"), got ${describeValue(client)}`,
    );
  }
  if (typeof prefix !== "string") {
    throw invalidOption(`registerMcpMetrics(): prefix must be a string, got ${describeValue(prefix)}`);
  }
  const registry = checked.registry ?? client.register;
  if (policies.cache !== undefined) registerCacheMetrics(policies.cache, { client, registry, prefix });
  const counter = (name: string, help: string, pick: (stats: McpToolStats) => number) =>
    new client.Counter({
      name: `${prefix}${name}`,
      help,
      labelNames: ["tool"],
      registers: [registry],
      collect(this: PromCounterLike) {
        this.reset();
        for (const [tool, stats] of Object.entries(policies.stats().tools)) this.inc({ tool }, pick(stats));
      },
    });
  counter("mcp_denied_total", "Tool calls refused by the rate limit.", (s) => s.denied);
  counter("mcp_busy_total", "Tool calls refused because the lock (or once) was busy.", (s) => s.busy);
  counter(
    "mcp_once_unknown_total",
    "Tool calls refused because an earlier once attempt's outcome is unknown.",
    (s) => s.unknown,
  );
}
