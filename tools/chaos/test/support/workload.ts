// What a mixed-load worker is told and reports, and how the test reads the reports: per
// capability counts and worst latencies, recovery after each fault, and lock holds that overlap.

/** What one worker process runs. */
export interface WorkerPlan {
  url: string;
  client: "ioredis" | "node-redis";
  keyPrefix: string;
  worker: number;
  durationMs: number;
  lanes: number;
  pauseMs: number;
  resources: string[];
}

/** One call a worker made: its kind, when it started (epoch ms), how long it took, what it got. */
export interface Call {
  kind: "cache" | "limit" | "lock" | "once";
  at: number;
  ms: number;
  /** cache: `ok` or `wrong`; limit: the reason; lock/once: the status; `threw <code>` for a rejection. */
  outcome: string;
}

/** One run of a locked function: from acquiring to releasing, in epoch ms. */
export interface Hold {
  resource: string;
  token: number;
  from: number;
  to: number;
  worker: number;
}

/** A `once` call that rejected before its function ran: afterwards it must run normally. */
export interface OnceGaveUp {
  key: string;
}

export interface WorkerReport {
  worker: number;
  calls: Call[];
  holds: Hold[];
  onceGaveUp: OnceGaveUp[];
  unhandled: number;
  fnCalls: number;
  /** Cache store calls that failed or timed out (the call went on without the cache). */
  cacheStoreErrors: number;
}

/** A fault the test applied, from its start to the moment it ended (restart done, thawed, cut). */
export interface Fault {
  name: "kill" | "freeze" | "cut";
  from: number;
  to: number;
}

export interface KindSummary {
  calls: number;
  worstMs: number;
  outcomes: Record<string, number>;
}

/** Calls per kind: how many, the slowest, and how they ended. */
export function summarize(calls: readonly Call[]): Record<Call["kind"], KindSummary> {
  const summary = {} as Record<Call["kind"], KindSummary>;
  for (const kind of ["cache", "limit", "lock", "once"] as const) {
    summary[kind] = { calls: 0, worstMs: 0, outcomes: {} };
  }
  for (const call of calls) {
    const kind = summary[call.kind];
    kind.calls++;
    kind.worstMs = Math.max(kind.worstMs, call.ms);
    kind.outcomes[call.outcome] = (kind.outcomes[call.outcome] ?? 0) + 1;
  }
  return summary;
}

/**
 * How long after each fault ended the store still answered as away: the start of the last
 * rate-limit check that was not answered by Redis (`degraded`), after the fault ended and before
 * the next one began, minus the fault's end. 0 when every check after it was answered.
 */
export function recoveryMs(calls: readonly Call[], faults: readonly Fault[], endOfRun: number): number[] {
  return faults.map((fault, i) => {
    const next = faults[i + 1]?.from ?? endOfRun;
    let last = fault.to;
    for (const call of calls) {
      if (call.kind === "limit" && call.outcome !== "ok" && call.at >= fault.to && call.at < next) {
        last = Math.max(last, call.at + call.ms);
      }
    }
    return last - fault.to;
  });
}

/**
 * Pairs of holds of one resource that overlap in time, leaving out holds that span a `kill`
 * fault: Redis restarted empty, so a lock taken before it is gone (no persistence), as for any
 * Redis lock without AOF. Freezes and cut connections keep the lock state, and are checked.
 */
export function overlappingHolds(holds: readonly Hold[], faults: readonly Fault[]): [Hold, Hold][] {
  const kills = faults.filter((fault) => fault.name === "kill");
  const checked = holds.filter((hold) => !kills.some((kill) => hold.from <= kill.to && hold.to >= kill.from));
  const byResource = new Map<string, Hold[]>();
  for (const hold of checked) byResource.set(hold.resource, [...(byResource.get(hold.resource) ?? []), hold]);
  const overlaps: [Hold, Hold][] = [];
  for (const list of byResource.values()) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 1; i < list.length; i++) {
      const previous = list[i - 1] as Hold;
      const hold = list[i] as Hold;
      if (hold.from < previous.to) overlaps.push([previous, hold]);
    }
  }
  return overlaps;
}
