import { hitPathCalls } from "../calls";
import type { BenchContext } from "../context";
import { UNIVERSE } from "../fixtures";
import type { Group } from "../plan";
import { hitPathSequence } from "../zipf";
import { cacheGroups } from "./cache-groups";

/** Zipf draws per pass; long enough that no line notices where a pass ends. */
export const SEQUENCE_LENGTH = 100_000;

/**
 * Every call a hit: each line first stores all argument sets, then reads them in Zipf order.
 * The ratios here are the cost of our path against the least code returning the same value.
 */
export function hitPathGroups(ctx: BenchContext): Group[] {
  return cacheGroups(ctx, {
    workload: "hit-path",
    title: "Hit path",
    calls: hitPathCalls(ctx.data, hitPathSequence(UNIVERSE, SEQUENCE_LENGTH, ctx.options.seed)),
    // Long enough to outlive the run: nothing may expire into a miss.
    ttlMs: 3_600_000,
    raw: true,
    note:
      `Every call a hit, Zipf over ${UNIVERSE} argument sets stored beforehand. Ours derives the key ` +
      "from the arguments on every call; raw baselines and peers get a precomputed key (their best case).",
  });
}
