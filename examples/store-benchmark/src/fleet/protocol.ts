import type { StoreName } from "../cli-options";

/** A store a worker process can open on its own connections: the Redis ones. */
export type FleetStore = Exclude<StoreName, "lru">;

/** What a worker needs to start: where Redis is, which stores loaded in the parent, the data. */
export interface WorkerInit {
  url: string;
  stores: FleetStore[];
  payloadBytes: number;
}

/** One line of the fleet stampede, run the same way in every worker process. */
export interface StampedeLine {
  id: string;
  /** fleet: `singleFlight: "fleet"`; process: the default; guides: the hand-written node-redis cache. */
  kind: "fleet" | "process" | "guides";
  store: FleetStore;
  /** Shared by every process of the line, so they all miss the same key. */
  namespace: string;
}

/** One line of the coherence workload: a store, and how the writer makes the old value go. */
export interface CoherenceLine {
  id: string;
  store: FleetStore;
  how: "delete" | "invalidateTool";
  namespace: string;
  /** Redis key holding the current version: what the tool function returns. */
  truthKey: string;
}

/** One invalidation: the version it made current, and when it was called and returned (ms, monotonic). */
export interface Invalidation {
  version: number;
  calledAt: number;
  returnedAt: number;
}

export type ToWorker =
  | { type: "init"; init: WorkerInit }
  | {
      type: "stampede";
      line: StampedeLine;
      round: number;
      calls: number;
      upstreamMs: number;
      /** When to fire, on the machine's monotonic clock (ms): every process at once. */
      startAt: number;
    }
  | { type: "read"; line: CoherenceLine }
  | { type: "write"; line: CoherenceLine; rounds: number; settleMs: number }
  | { type: "stop-reading" }
  | { type: "exit" };

export type FromWorker =
  | { type: "ready" }
  | { type: "stampede-done"; upstream: number; wrong: number; ms: number; fleetWaits: number }
  | { type: "reading" }
  | { type: "written"; invalidations: Invalidation[] }
  | {
      type: "read-done";
      reads: number;
      l1Hits: number;
      /** Per version seen: the start of the last read that returned it (ms, monotonic). */
      lastStart: [version: number, at: number][];
    }
  | { type: "failed"; error: string };

/**
 * The machine's monotonic clock in ms (CLOCK_MONOTONIC on Linux): the same clock in every
 * process, so times taken in different workers compare.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
