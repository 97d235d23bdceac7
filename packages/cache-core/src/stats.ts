import { BYPASS_REASONS, type BypassReason } from "./events";

/** Running counts for one tool label. Mutated on the hot path, so plain fields. */
export class Counters {
  hits = 0;
  l1Hits = 0;
  misses = 0;
  stale = 0;
  coalesced = 0;
  errors = 0;
  readonly bypass: Record<BypassReason, number> = {
    policy: 0,
    "no-scope": 0,
    unkeyable: 0,
    "error-result": 0,
    "too-large": 0,
    unencodable: 0,
  };
}

/** Counts for one tool (or for all of them, in `total`). */
export interface ToolStats {
  /** Calls served from the cache without calling `fn`, from either tier. */
  readonly hits: number;
  /** Of `hits`, those served from the in-process first tier (`l1`) without a store round trip. */
  readonly l1Hits: number;
  /** Calls that found no usable entry in the store. */
  readonly misses: number;
  /** Calls served an expired value from the grace window. */
  readonly stale: number;
  /**
   * Calls that shared a running `fn` call for the same key instead of starting their own: in this
   * process, or (with `singleFlight: "fleet"`) another process's.
   */
  readonly coalesced: number;
  /** Store calls that failed or timed out. */
  readonly errors: number;
  /** Calls that went around the cache, by reason. */
  readonly bypass: Readonly<Record<BypassReason, number>>;
  /** (hits + stale) / (hits + stale + misses): the share of store lookups answered from the cache; 0 before any. */
  readonly hitRate: number;
}

/** What `cache.stats()` returns. */
export interface CacheStats {
  readonly total: ToolStats;
  /** Keyed by tool label (`"_"` for string keys without a `tool` option). */
  readonly tools: Readonly<Record<string, ToolStats>>;
}

/** Copies the counters of every tool label into plain objects, with totals and hit rates. */
export function snapshotStats(
  labels: Iterable<{ readonly name: string; readonly counters: Counters }>,
): CacheStats {
  const total = new Counters();
  const tools: Record<string, ToolStats> = {};
  for (const { name, counters } of labels) {
    tools[name] = toStats(counters);
    total.hits += counters.hits;
    total.l1Hits += counters.l1Hits;
    total.misses += counters.misses;
    total.stale += counters.stale;
    total.coalesced += counters.coalesced;
    total.errors += counters.errors;
    for (const reason of BYPASS_REASONS) total.bypass[reason] += counters.bypass[reason];
  }
  return { total: toStats(total), tools };
}

function toStats(counters: Counters): ToolStats {
  const served = counters.hits + counters.stale;
  const lookups = served + counters.misses;
  return {
    hits: counters.hits,
    l1Hits: counters.l1Hits,
    misses: counters.misses,
    stale: counters.stale,
    coalesced: counters.coalesced,
    errors: counters.errors,
    bypass: { ...counters.bypass },
    hitRate: lookups === 0 ? 0 : served / lookups,
  };
}
