import type { StoreName, WorkloadName } from "./cli-options";
import type { Op } from "./measure";

/** ours: mcp-persist. baseline: the least code returning the same value. reference: the guides' code. peer: another library. */
export type Role = "ours" | "baseline" | "reference" | "peer";

/** One line of a comparison: something measured. */
export interface Subject {
  id: string;
  label: string;
  role: Role;
  /** What runs: package (and client) names, for the table and the JSON. */
  library: string;
  /** Which of our stores it runs on, for ours and the raw baselines. */
  store?: StoreName;
  /** Whether its calls reach Redis: its commands per call are then counted. */
  onRedis: boolean;
  op: Op;
  /** Upstream (tool function) calls made so far, where calls can miss. */
  upstreamCalls?: () => number;
  /** The raw baseline this line's overhead is a ratio to ("× raw"). */
  baseline?: string;
}

/**
 * Lines compared with each other: same data, same concurrency, measured in turns, so every
 * ratio between them comes from repetitions taken seconds apart.
 */
export interface Group {
  id: string;
  workload: WorkloadName;
  title: string;
  /** What the lines do, in a sentence or two, shown under the table. */
  note: string;
  concurrency: number;
  subjects: Subject[];
  /** Subjects every `ours` line is also a ratio to (the guides' reference, the peers). */
  compareWith: string[];
  /** Calls each line makes first, unmeasured, and where its measured calls start (see `Calls`). */
  fill: readonly number[];
  start: number;
}

/** A workload that could not run, and why: printed, never silently dropped. */
export interface Unavailable {
  workload: WorkloadName | "stores" | "peers";
  what: string;
  reason: string;
}
