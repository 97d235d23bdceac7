import { toolCalls } from "../calls";
import type { BenchContext } from "../context";
import { UNIVERSE } from "../fixtures";
import type { Group } from "../plan";
import { toolCallSequence } from "../zipf";
import { cacheGroups } from "./cache-groups";

/** Share of calls that see their arguments for the first time in a pass: the misses. */
export const MISS_RATE = 0.1;

/**
 * Cached tool calls as a server sees them: Zipf-distributed arguments over a cold start, about
 * 90% hits, misses calling the tool and storing its result. "Saved" is the share of calls that
 * never reached the tool.
 */
export function toolCallGroups(ctx: BenchContext): Group[] {
  const sequence = toolCallSequence(UNIVERSE, MISS_RATE, ctx.options.seed);
  const hitRate = 1 - sequence.distinct / sequence.ranks.length;
  return cacheGroups(ctx, {
    workload: "tool-calls",
    title: "Tool calls (Zipf, ~90% hits)",
    calls: toolCalls(ctx.data, sequence, ctx.options.seed),
    // Outlives a pass over the sequence (under a second) by far, so misses are the sequence's own.
    ttlMs: 10_000,
    raw: false,
    note:
      `Zipf (s = 1) over ${UNIVERSE} argument sets; each set's cached result goes stale (a new "day" argument) ` +
      `once per ${sequence.ranks.length} calls, so ${(hitRate * 100).toFixed(1)}% of calls can hit on every line, ` +
      "whatever its speed. Saved: calls that never reached the tool (concurrent misses of one key count once only with single-flight).",
  });
}
