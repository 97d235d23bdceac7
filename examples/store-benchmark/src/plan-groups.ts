import type { BenchContext } from "./context";
import type { Group, Unavailable } from "./plan";
import { hitPathGroups } from "./workloads/cache-hit-path";
import { lockGroups } from "./workloads/lock";
import { ratelimitGroups } from "./workloads/ratelimit";
import { toolCallGroups } from "./workloads/tool-calls";
import { twoTierGroups } from "./workloads/two-tier";

/** The throughput groups of the workloads asked for, in the order they run (the stampedes and the coherence workload run after them). */
export async function planGroups(ctx: BenchContext, unavailable: Unavailable[]): Promise<Group[]> {
  const { workloads } = ctx.options;
  const groups: Group[] = [];
  if (workloads.includes("hit-path")) groups.push(...hitPathGroups(ctx));
  if (workloads.includes("two-tier")) groups.push(...(await twoTierGroups(ctx, unavailable)));
  if (workloads.includes("tool-calls")) groups.push(...toolCallGroups(ctx));
  if (workloads.includes("ratelimit")) groups.push(...(await ratelimitGroups(ctx, unavailable)));
  if (workloads.includes("lock")) groups.push(...(await lockGroups(ctx, unavailable)));
  return groups;
}

/** Planned measuring time, for the progress display's ETA. */
export function plannedMs(groups: readonly Group[], options: BenchContext["options"]): number {
  const perLine = options.warmupMs + options.repetitions * options.durationMs;
  // Groups not at concurrency 1 add their latency pass, one call at a time.
  const latency = options.repetitions * options.latencyMs;
  return groups.reduce(
    (sum, g) => sum + g.subjects.length * (perLine + (g.concurrency === 1 ? 0 : latency)),
    0,
  );
}
