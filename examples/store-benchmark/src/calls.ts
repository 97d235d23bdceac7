import { onDay, type ToolArgs } from "./fixtures";
import { type CallSequence, seededRandom } from "./zipf";

/**
 * The i-th call of a line: its arguments, the key a hand-written cache would have computed for
 * them in advance (raw baselines and peers get it for free: their best case), and the tool
 * result the upstream function returns for it.
 */
export interface Calls {
  args(i: number): ToolArgs;
  key(i: number): string;
  result(i: number): unknown;
  /** Calls each line makes first, unmeasured, to bring its store to where the sequence starts. */
  fill: readonly number[];
  /** Index of the first call after the fill. */
  start: number;
}

export interface CallData {
  args: readonly ToolArgs[];
  /** A precomputed key per argument set (without the line's own prefix). */
  keys: readonly string[];
  results: readonly unknown[];
}

/**
 * Hit path: the first calls visit every argument set once (the fill), then the calls follow the
 * Zipf sequence over those same sets, so every measured call is a hit.
 */
export function hitPathCalls(data: CallData, sequence: CallSequence): Calls {
  const fill = data.args.length;
  const rank = (i: number): number =>
    i < fill ? i : (sequence.ranks[(i - fill) % sequence.ranks.length] as number);
  return {
    args: (i) => data.args[rank(i)] as ToolArgs,
    key: (i) => data.keys[rank(i)] as string,
    result: (i) => data.results[rank(i)],
    fill: Array.from({ length: fill }, (_, i) => i),
    start: fill,
  };
}

/**
 * Tool calls: the Zipf sequence replayed without end, while each argument set moves to a new
 * "day" (an argument of its own) once per sequence length, each at its own phase. Every argument
 * set in the sequence thus misses once per sequence length and hits otherwise: the sequence's
 * hit rate on every line, at any speed, and spread evenly over time, so a short repetition sees
 * the same share as a long one.
 */
export function toolCalls(data: CallData, sequence: CallSequence, seed: number): Calls {
  const length = sequence.ranks.length;
  const random = seededRandom(seed + 1);
  const phase = Uint32Array.from(data.args, () => Math.floor(random() * length));
  const rank = (i: number): number => sequence.ranks[i % length] as number;
  const day = (i: number, r: number): number => Math.floor((i + (phase[r] as number)) / length);
  // Start in the steady state, not from a cold store: replay, for each argument set, its last
  // call before `start` that is still on the current day; those are what a running cache holds.
  const start = 2 * length;
  const fill: number[] = [];
  const filled = new Set<number>();
  for (let j = start - 1; j >= start - length; j--) {
    const r = rank(j);
    if (!filled.has(r) && day(j, r) === day(start, r)) {
      filled.add(r);
      fill.push(j);
    }
  }
  return {
    args(i) {
      const r = rank(i);
      return onDay(data.args[r] as ToolArgs, day(i, r));
    },
    key(i) {
      const r = rank(i);
      return `${data.keys[r]}:${day(i, r)}`;
    },
    result: (i) => data.results[rank(i)],
    fill,
    start,
  };
}

/** The tool function behind the cache: returns the call's result and counts how often it ran. */
export function countingUpstream(calls: Calls): { fn: (i: number) => unknown; count: () => number } {
  let count = 0;
  return {
    fn(i) {
      count++;
      return calls.result(i);
    },
    count: () => count,
  };
}
