import type { FleetResults } from "./fleet/run-fleet";
import { formatMicros } from "./report/format";
import { type GroupResult, pairedRatio } from "./run-group";
import type { Spread } from "./stats";
import type { StampedeResult } from "./workloads/stampede";

export type Verdict = "met" | "missed" | "not measured";

export interface TargetResult {
  target: string;
  /** The measured figure, as text: "0.91× (0.88–0.93)", "1 upstream call". */
  measured: string;
  verdict: Verdict;
  /** The repetitions disagree about the verdict: some pairs fall on the other side of the threshold. */
  uncertain: boolean;
  ratio?: Spread;
  /** The ratio the target asks for. */
  threshold?: number;
}

interface RatioTarget {
  target: string;
  subject: string;
  against: string;
  min: number;
  /**
   * Also quote the ratio of latencies one call at a time (p50 @1): where ours answers in process
   * and the other line waits on a round trip, throughput at the group's concurrency (which lets
   * the other line pipeline) is only half of the picture.
   */
  latency?: boolean;
}

const RATIO_TARGETS: RatioTarget[] = [
  // Issue 15 raised the Redis hit path from 0.85× (issue 8) and added the tool-call line.
  ...(["ioredis", "node-redis"] as const).flatMap((store) => [
    {
      target: `Redis hit path (${store}) ≥ 0.95× raw GET + JSON.parse`,
      subject: `hit-path/${store}/ours`,
      against: `hit-path/${store}/raw`,
      min: 0.95,
    },
  ]),
  {
    target: "store-lru hit path incl. key derivation ≥ 2× the guides' hand-written cache",
    subject: "hit-path/lru/ours",
    against: "hit-path/lru/reference",
    min: 2,
  },
  {
    target: "store-lru tool calls (Zipf, ~90% hits) ≥ 1.5× the guides' hand-written cache",
    subject: "tool-calls/lru/ours",
    against: "tool-calls/lru/reference",
    min: 1.5,
  },
  ...(["ioredis", "node-redis"] as const).flatMap((store) => [
    {
      target: `≥ 1.5× cache-manager wrap on the same Redis (${store})`,
      subject: `hit-path/${store}/ours`,
      against: "hit-path/peer/cache-manager",
      min: 1.5,
    },
    {
      target: `≥ 1.0× BentoCache getOrSet on the same Redis (${store})`,
      subject: `hit-path/${store}/ours`,
      against: "hit-path/peer/bentocache",
      min: 1,
    },
  ]),
  // Issue 14: an in-process first tier in front of Redis.
  ...(["ioredis", "node-redis"] as const).flatMap((store) => [
    {
      target: `L1 hit (${store}) ≥ 20× raw GET + JSON.parse on the same client`,
      subject: `two-tier/${store}/ours`,
      against: `two-tier/${store}/raw`,
      min: 20,
      latency: true,
    },
    {
      target: `Two-tier hit path (${store}) ≥ 1.5× BentoCache with memory L1 + Redis L2 + bus`,
      subject: `two-tier/${store}/ours`,
      against: "two-tier/peer/bentocache",
      min: 1.5,
      latency: true,
    },
  ]),
  // Issue 15: rate limits and locks as fast as the peers (the Redis rate limit's ≥ 1.1× was kept
  // from issue 8), and a lock as fast on node-redis as on ioredis.
  {
    target: "Rate limit on store-lru (sliding window) ≥ 1.0× RateLimiterMemory",
    subject: "ratelimit/lru/ours",
    against: "ratelimit/peer/memory",
    min: 1,
  },
  ...(["ioredis", "node-redis"] as const).map((store) => ({
    target: `Rate limit on Redis (${store}) ≥ 1.1× RateLimiterRedis`,
    subject: `ratelimit/${store}/ours`,
    against: "ratelimit/peer/redis",
    min: 1.1,
  })),
  {
    target: "withLock (ioredis) ≥ 1.0× redlock",
    subject: "lock/ioredis/ours",
    against: "lock/peer/redlock",
    min: 1,
  },
  {
    target: "withLock (ioredis) ≥ 1.0× redis-semaphore",
    subject: "lock/ioredis/ours",
    against: "lock/peer/redis-semaphore",
    min: 1,
  },
  {
    target: "withLock on node-redis within 10% of ioredis (≥ 0.9×)",
    subject: "lock/node-redis/ours",
    against: "lock/ioredis/ours",
    min: 0.9,
  },
];

/** Each target (issues 8, 14 and 15) against this run's figures; what was not measured says so. */
export function evaluateTargets(
  groups: GroupResult[],
  stampede: StampedeResult[] | undefined,
  fleet: FleetResults = {},
): TargetResult[] {
  const ratios = groups.flatMap((g) => g.ratios);
  const subjects = new Map(groups.flatMap((g) => g.subjects).map((s) => [s.id, s]));
  const results: TargetResult[] = RATIO_TARGETS.map((t) => {
    const [subject, against] = [subjects.get(t.subject), subjects.get(t.against)];
    // Two of our own lines (node-redis ÷ ioredis) are not compared in their table: paired here.
    const found =
      ratios.find((r) => r.subject === t.subject && r.against === t.against) ??
      (subject === undefined || against === undefined ? undefined : pairedRatio(subject, against));
    if (found === undefined) {
      const failed = [t.subject, t.against].map((id) => subjects.get(id)?.error).find((e) => e !== undefined);
      const measured = failed === undefined ? "not run" : `failed: ${failed}`;
      return { target: t.target, measured, verdict: "not measured", uncertain: false };
    }
    const { ratio } = found;
    const ours = subject?.latency;
    const other = against?.latency;
    const latency =
      t.latency && ours !== undefined && other !== undefined && ours.p50Us > 0
        ? `; one call at a time (p50 @1) ${(other.p50Us / ours.p50Us).toFixed(2)}×`
        : "";
    return {
      target: t.target,
      measured:
        `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}); ` +
        `by CPU time per call ${found.cpuRatio.median.toFixed(2)}×${latency}`,
      verdict: ratio.median >= t.min ? "met" : "missed",
      uncertain: ratio.min < t.min && ratio.max >= t.min,
      ratio,
      threshold: t.min,
    };
  });
  const ours = (stampede ?? []).filter((s) => s.role === "ours");
  if (ours.length === 0) {
    results.push({
      target: "Stampede: exactly 1 upstream call per process",
      measured: "not run",
      verdict: "not measured",
      uncertain: false,
    });
  }
  for (const line of ours) {
    const calls = line.rounds.map((r) => r.upstreamCalls);
    const same = calls.every((n) => n === calls[0]);
    const rounds = calls.length === 1 ? "its one round" : `each of ${calls.length} rounds`;
    results.push({
      target: `Stampede (store-${line.store}): exactly 1 upstream call per process`,
      measured:
        line.error ??
        (same
          ? `${calls[0]} upstream call(s) in ${rounds}`
          : `upstream calls per round: ${calls.join(", ")}`),
      verdict: line.error === undefined && calls.every((n) => n === 1) ? "met" : "missed",
      uncertain: false,
    });
  }
  results.push(...fleetTargets(fleet));
  return results;
}

/** Issue 14's fleet targets: one upstream call per fleet; the coherence window, as measured. */
function fleetTargets({ fleetStampede, coherence }: FleetResults): TargetResult[] {
  const results: TargetResult[] = [];
  const fleetLines = (fleetStampede ?? []).filter((l) => l.kind === "fleet");
  if (fleetLines.length === 0) {
    results.push(notMeasured("Fleet stampede: N processes × 1000 cold calls → 1 upstream call in total"));
  }
  for (const line of fleetLines) {
    const target = `Fleet stampede (store-${line.store}): ${line.processes} processes × ${line.callsPerProcess} cold calls → 1 upstream call in total`;
    const calls = line.rounds.map((r) => r.upstreamCalls);
    const beside = (fleetStampede ?? [])
      .filter((l) => l.kind !== "fleet" && (l.kind === "guides" || l.store === line.store))
      .map((l) => `${l.kind === "guides" ? "guides'" : "per-process"} ${l.maxUpstreamCalls}`)
      .join(", ");
    const measured = line.error ?? `upstream calls per round: ${calls.join(", ")} (beside it: ${beside})`;
    // No flight ever took another process's value: the option is accepted but not honoured yet.
    const honoured = line.rounds.some((r) => r.fleetWaits > 0) || calls.every((n) => n === 1);
    results.push({
      target,
      measured:
        honoured || line.error !== undefined
          ? measured
          : `${measured}; no process took another's value: singleFlight "fleet" is not honoured by this cache-core build`,
      verdict:
        line.error !== undefined || !honoured
          ? "not measured"
          : calls.every((n) => n === 1)
            ? "met"
            : "missed",
      uncertain: false,
    });
  }
  if ((coherence ?? []).length === 0) {
    results.push(notMeasured("Coherence: invalidation-to-last-stale-read window across processes"));
  }
  for (const line of coherence ?? []) {
    const w = line.window;
    const ms = (v: number): string => (v === 0 ? "0" : formatMicros(v * 1000));
    results.push({
      target: `Coherence (${line.label}): invalidation → last stale read, ${line.readers} reader process${line.readers === 1 ? "" : "es"}`,
      measured:
        line.error ??
        `p50 ${ms(w.p50)} · p99 ${ms(w.p99)} · max ${ms(w.max)} over ${line.windowsMs.length} (reader, invalidation) pairs; ` +
          `${line.staleAfterReturn} served the old value after the call returned` +
          (line.unconverged > 0 ? `; ${line.unconverged} reader(s) never saw the last value` : ""),
      // A distribution to report, not a threshold: met when every reader came to the new value.
      verdict: line.error !== undefined ? "not measured" : line.unconverged === 0 ? "met" : "missed",
      uncertain: false,
    });
  }
  return results;
}

function notMeasured(target: string): TargetResult {
  return { target, measured: "not run", verdict: "not measured", uncertain: false };
}
