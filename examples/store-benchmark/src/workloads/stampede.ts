import { setTimeout as sleep } from "node:timers/promises";
import type { Calls } from "../calls";
import type { BenchContext } from "../context";
import type { ToolArgs } from "../fixtures";
import type { Subject } from "../plan";
import type { Progress } from "../progress";
import { lruLines, redisLines } from "./cache-groups";

/** How long the tool takes: long enough that every call arrives while the first is still running. */
const UPSTREAM_MS = 50;
/** Rounds per line, each on a fresh key; one in a --quick run. */
const ROUNDS = 3;

export interface StampedeRound {
  upstreamCalls: number;
  /** From the first call to the last answer. */
  ms: number;
  /** Answers that were not the tool's result (should be none). */
  wrong: number;
}

export interface StampedeResult extends Omit<Subject, "op" | "upstreamCalls"> {
  rounds: StampedeRound[];
  /** Most upstream calls in any round: the figure the target is about. */
  maxUpstreamCalls: number;
  error?: string;
}

/**
 * N concurrent calls for one key nobody has cached, per line, a few rounds (a fresh key each):
 * how many reach the tool? With single-flight in the process, one.
 */
export async function runStampede(ctx: BenchContext, progress: Progress): Promise<StampedeResult[]> {
  let round = 0;
  const base = ctx.data.args[0] as ToolArgs;
  const expected = ctx.data.results[0];
  const calls: Calls = {
    args: () => ({ ...base, stampede: round }),
    key: () => `${ctx.data.keys[0]}:stampede:${round}`,
    result: () => sleep(UPSTREAM_MS, expected),
    fill: [],
    start: 0,
  };
  const results: StampedeResult[] = [];
  const wanted = JSON.stringify(expected);
  const rounds = ctx.options.quick ? 1 : ROUNDS;
  progress.section(
    `Stampede: ${ctx.options.stampedeCalls} concurrent cold calls on one key, ${rounds} round(s) per line`,
  );
  for (const subject of stampedeSubjects(ctx, calls)) {
    progress.step(subject.label, "stampede", 0);
    const { op: _op, upstreamCalls, ...meta } = subject;
    const done: StampedeRound[] = [];
    try {
      for (let r = 0; r < rounds; r++, round++) {
        const before = upstreamCalls?.() ?? 0;
        const started = performance.now();
        const answers = await Promise.all(
          Array.from({ length: ctx.options.stampedeCalls }, (_, i) => subject.op(i, i)),
        );
        const ms = performance.now() - started;
        const wrong = answers.filter((a) => JSON.stringify(a) !== wanted).length;
        done.push({ upstreamCalls: (upstreamCalls?.() ?? 0) - before, ms, wrong });
      }
      results.push({
        ...meta,
        rounds: done,
        maxUpstreamCalls: Math.max(...done.map((r) => r.upstreamCalls)),
      });
    } catch (error) {
      results.push({ ...meta, rounds: done, maxUpstreamCalls: Number.NaN, error: String(error) });
    }
  }
  return results;
}

function stampedeSubjects(ctx: BenchContext, calls: Calls): Subject[] {
  const spec = { workload: "stampede" as const, calls, ttlMs: 60_000, raw: false };
  return [...lruLines(ctx, spec), ...redisLines(ctx, spec)];
}
