import type { BenchContext } from "../context";
import type { Role } from "../plan";
import type { Progress } from "../progress";
import { messageOf, type Worker } from "./pool";
import { type FleetStore, monotonicMs, type StampedeLine } from "./protocol";

/** How long the tool takes, as in the in-process stampede. */
const UPSTREAM_MS = 50;
/** Rounds per line, each on a fresh key; one in a --quick run. */
const ROUNDS = 3;
/** Lead time of the common start: every worker has its order before the first fires. */
const START_LEAD_MS = 200;

export interface FleetStampedeRound {
  /** Calls that reached the tool, in all processes together. */
  upstreamCalls: number;
  perProcess: number[];
  /** From the common start to the last answer, in the slowest process. */
  ms: number;
  /** Answers that were not the tool's result (should be none). */
  wrong: number;
  /** Flights that took another process's value (`coalesced` events with `scope: "fleet"`). */
  fleetWaits: number;
}

export interface FleetStampedeResult {
  id: string;
  label: string;
  role: Role;
  library: string;
  store: FleetStore;
  kind: StampedeLine["kind"];
  processes: number;
  callsPerProcess: number;
  rounds: FleetStampedeRound[];
  /** Most upstream calls in any round: the figure the target is about. */
  maxUpstreamCalls: number;
  error?: string;
}

/**
 * N worker processes × `--stampede-calls` concurrent calls on one cold key, all fired at once:
 * how many reach the tool, in total? Ours with fleet-wide single-flight (the target: 1), ours
 * with the default per-process single-flight (N), the guides' code (N × calls).
 */
export async function runFleetStampede(
  ctx: BenchContext,
  workers: Worker[],
  stores: FleetStore[],
  progress: Progress,
): Promise<FleetStampedeResult[]> {
  const calls = ctx.options.stampedeCalls;
  const rounds = ctx.options.quick ? 1 : ROUNDS;
  progress.section(
    `Fleet stampede: ${workers.length} processes × ${calls} concurrent cold calls on one key, ${rounds} round(s) per line`,
  );
  const results: FleetStampedeResult[] = [];
  let round = 0;
  for (const line of fleetLines(ctx, stores)) {
    progress.step(line.label, "fleet stampede", 0);
    const { namespace, ...meta } = line;
    const spec: StampedeLine = { id: line.id, kind: line.kind, store: line.store, namespace };
    const result: FleetStampedeResult = {
      ...meta,
      processes: workers.length,
      callsPerProcess: calls,
      rounds: [],
      maxUpstreamCalls: Number.NaN,
    };
    try {
      for (let r = 0; r < rounds; r++, round++) {
        const startAt = monotonicMs() + START_LEAD_MS;
        for (const w of workers) {
          w.send({ type: "stampede", line: spec, round, calls, upstreamMs: UPSTREAM_MS, startAt });
        }
        const done = await Promise.all(workers.map((w) => w.next("stampede-done")));
        result.rounds.push({
          upstreamCalls: done.reduce((sum, d) => sum + d.upstream, 0),
          perProcess: done.map((d) => d.upstream),
          ms: Math.max(...done.map((d) => d.ms)),
          wrong: done.reduce((sum, d) => sum + d.wrong, 0),
          fleetWaits: done.reduce((sum, d) => sum + d.fleetWaits, 0),
        });
      }
      result.maxUpstreamCalls = Math.max(...result.rounds.map((r) => r.upstreamCalls));
    } catch (error) {
      result.error = messageOf(error);
    }
    results.push(result);
  }
  return results;
}

interface FleetLine extends StampedeLine {
  label: string;
  role: Role;
  library: string;
}

function fleetLines(ctx: BenchContext, stores: FleetStore[]): FleetLine[] {
  const ns = (suffix: string): string => `${ctx.runId}-fleet-stampede-${suffix}`;
  const lines: FleetLine[] = [];
  for (const store of stores) {
    lines.push(
      {
        id: `fleet-stampede/${store}/fleet`,
        kind: "fleet",
        store,
        namespace: ns(`${store}-fleet`),
        label: `cache.wrap, singleFlight "fleet" · store-${store}`,
        role: "ours",
        library: `@mcp-persist/cache-core + @mcp-persist/store-${store}`,
      },
      {
        id: `fleet-stampede/${store}/process`,
        kind: "process",
        store,
        namespace: ns(`${store}-process`),
        label: `cache.wrap, singleFlight "process" · store-${store}`,
        role: "ours",
        library: `@mcp-persist/cache-core + @mcp-persist/store-${store}`,
      },
    );
  }
  lines.push({
    id: "fleet-stampede/reference",
    kind: "guides",
    store: stores.includes("node-redis") ? "node-redis" : (stores[0] as FleetStore),
    namespace: ns("reference"),
    label: "guides' hand-written (node-redis)",
    role: "reference",
    library: "deepSortKeys + SHA-256 + node-redis GET/SET",
  });
  return lines;
}
