import type { Cache, ToolStats } from "@mcp-persist/cache-core";

/** Counts for one tool (or resource, as `resource:<name>`), or for all of them in `total`. */
export type McpToolStats = {
  /** Calls answered from the cache. */
  readonly hits: number;
  /** Calls that found no usable cache entry and ran the handler. */
  readonly misses: number;
  /** Calls that shared another call's handler run (single-flight). */
  readonly coalesced: number;
  /** Calls served a stale entry from the grace window. */
  readonly stale: number;
  /** Calls that went around the cache (no identity for a per-caller tool, error result, …). */
  readonly bypasses: number;
  /** Calls the rate limit refused. */
  readonly denied: number;
  /** Calls refused because the lock (or `once`) was busy. */
  readonly busy: number;
  /** Calls refused because `once` found an earlier attempt whose outcome is unknown. */
  readonly unknown: number;
};

/** What `policies.stats()` returns. */
export type McpStats = {
  readonly total: McpToolStats;
  /** By tool name; resources as `resource:<name>`. Every registered one, from registration on. */
  readonly tools: Readonly<Record<string, McpToolStats>>;
};

/** The policies' own counts for one label; the cache's come from `cache.stats()`. */
export class PolicyCounters {
  denied = 0;
  busy = 0;
  unknown = 0;
}

const ZERO: McpToolStats = {
  hits: 0,
  misses: 0,
  coalesced: 0,
  stale: 0,
  bypasses: 0,
  denied: 0,
  busy: 0,
  unknown: 0,
};

/** The registered labels' counts, the cache's beside the policies'. */
export function snapshotPolicyStats(
  counters: ReadonlyMap<string, PolicyCounters>,
  cache: Cache | undefined,
): McpStats {
  const cached = cache?.stats().tools ?? {};
  const tools: Record<string, McpToolStats> = {};
  let total = ZERO;
  for (const [label, own] of counters) {
    const stats = { ...fromCache(cached[label]), denied: own.denied, busy: own.busy, unknown: own.unknown };
    tools[label] = stats;
    total = add(total, stats);
  }
  return { total, tools };
}

function fromCache(stats: ToolStats | undefined): McpToolStats {
  if (stats === undefined) return ZERO;
  let bypasses = 0;
  for (const count of Object.values(stats.bypass)) bypasses += count;
  return {
    ...ZERO,
    hits: stats.hits,
    misses: stats.misses,
    coalesced: stats.coalesced,
    stale: stats.stale,
    bypasses,
  };
}

function add(a: McpToolStats, b: McpToolStats): McpToolStats {
  return {
    hits: a.hits + b.hits,
    misses: a.misses + b.misses,
    coalesced: a.coalesced + b.coalesced,
    stale: a.stale + b.stale,
    bypasses: a.bypasses + b.bypasses,
    denied: a.denied + b.denied,
    busy: a.busy + b.busy,
    unknown: a.unknown + b.unknown,
  };
}
