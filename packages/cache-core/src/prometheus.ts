import { BYPASS_REASONS } from "./events";
import type { CacheStats, ToolStats } from "./stats";

/** The one counter method the adapter calls, typed structurally: cache-core never imports prom-client. */
export interface PromCounterLike {
  reset(): void;
  inc(labels: Record<string, string>, value?: number): void;
}

/** The part of the `prom-client` module the adapter uses (pass the module itself). */
export interface PromClientLike<Registry> {
  Counter: new (config: {
    name: string;
    help: string;
    labelNames: string[];
    registers: Registry[];
    collect: (this: PromCounterLike) => void;
  }) => unknown;
  register: Registry;
}

/** Options of {@link registerCacheMetrics}. */
export interface PrometheusOptions<Registry> {
  /** The prom-client module: `import * as client from "prom-client"`. */
  client: PromClientLike<Registry>;
  /** Where the counters are registered. @default client.register (the global registry) */
  registry?: Registry;
  /** Prepended to every metric name, for several caches in one registry. @default "" */
  prefix?: string;
}

/** The counters labelled by tool alone: name, help, and the count of `cache.stats()` each exports. */
const PER_TOOL_COUNTERS = [
  ["cache_hits_total", "Tool calls served from the cache.", "hits"],
  [
    "cache_l1_hits_total",
    "Tool calls served from the in-process first tier (counted in cache_hits_total too).",
    "l1Hits",
  ],
  ["cache_misses_total", "Tool calls that found no usable cache entry.", "misses"],
  ["cache_stale_total", "Tool calls served a stale value from the grace window.", "stale"],
  [
    "cache_coalesced_total",
    "Tool calls that shared another call's upstream request (single-flight).",
    "coalesced",
  ],
  ["cache_store_errors_total", "Cache store calls that failed or timed out.", "errors"],
] as const satisfies readonly (readonly [string, string, keyof ToolStats])[];

/**
 * Exports the cache's counts as Prometheus counters, labelled by tool (and, for bypasses, by
 * reason) — never by key or caller, whose cardinality is unbounded and whose values are private:
 * `cache_hits_total` (of which `cache_l1_hits_total` from the first tier), `cache_misses_total`,
 * `cache_stale_total`, `cache_coalesced_total`, `cache_bypass_total`, `cache_store_errors_total`.
 *
 * The counters are filled from `cache.stats()` when scraped, so the hit path does no metrics work.
 */
export function registerCacheMetrics<Registry>(
  cache: { stats(): CacheStats },
  options: PrometheusOptions<Registry>,
): void {
  const { client, prefix = "" } = options;
  const registers = [options.registry ?? client.register];
  const counter = (name: string, help: string, fill: (counter: PromCounterLike, stats: CacheStats) => void) =>
    new client.Counter({
      name: `${prefix}${name}`,
      help,
      labelNames: name === "cache_bypass_total" ? ["tool", "reason"] : ["tool"],
      registers,
      collect() {
        this.reset();
        fill(this, cache.stats());
      },
    });
  for (const [name, help, count] of PER_TOOL_COUNTERS) {
    counter(name, help, (target, stats) => {
      for (const [tool, counts] of Object.entries(stats.tools)) target.inc({ tool }, counts[count]);
    });
  }
  counter("cache_bypass_total", "Tool calls that went around the cache, by reason.", (target, stats) => {
    for (const [tool, counts] of Object.entries(stats.tools)) {
      for (const reason of BYPASS_REASONS) target.inc({ tool, reason }, counts.bypass[reason]);
    }
  });
}
