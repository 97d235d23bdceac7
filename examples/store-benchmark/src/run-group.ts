import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import type { Redis } from "ioredis";
import { type Cursor, measure } from "./measure";
import type { Group, Subject } from "./plan";
import type { Progress } from "./progress";
import { type Census, census } from "./redis-census";
import { type Spread, spread } from "./stats";

export interface SampleResult {
  ops: number;
  elapsedMs: number;
  opsPerSec: number;
  /** CPU time of this process per call (process.cpuUsage), µs. */
  cpuUsPerCall: number;
  p50Us: number;
  p99Us: number;
}

/**
 * The latency view: one call at a time, as one MCP tool call waits on one store call. Percentiles
 * over every call of every repetition, in microseconds.
 */
export interface LatencyResult {
  concurrency: 1;
  /** "throughput": the group runs at concurrency 1, its repetitions are the view; "own": a pass of its own. */
  source: "throughput" | "own";
  calls: number;
  p50Us: number;
  p99Us: number;
  /** Each repetition's percentiles. */
  samples: { p50Us: number; p99Us: number }[];
}

export interface SubjectResult extends Omit<Subject, "op" | "upstreamCalls"> {
  samples: SampleResult[];
  opsPerSec: Spread;
  /** CPU time of this process per call, over the repetitions, µs. */
  cpuUsPerCall: Spread;
  /** Percentiles over every measured call of every repetition (at the group's concurrency), µs. */
  p50Us: number;
  p99Us: number;
  /** At concurrency 1; absent when skipped (--latency-duration 0) or the line failed. */
  latency?: LatencyResult;
  /** What reaches Redis per call (Redis lines), counted apart from the timed repetitions. */
  redis?: Census;
  /** Measured calls, and how many of them reached the tool function. */
  calls: number;
  upstreamCalls?: number;
  /** Relative error above the --noisy threshold. */
  noisy: boolean;
  error?: string;
}

export interface RatioResult {
  subject: string;
  against: string;
  ratio: Spread;
  perRepetition: number[];
  /** The same pairs by CPU time per call (the other line's over ours): steadier on a shared machine. */
  cpuRatio: Spread;
}

/** A group as run: its call indices (fill, start) are left out, they only matter while running. */
export interface GroupResult extends Omit<Group, "subjects" | "fill" | "start"> {
  subjects: SubjectResult[];
  ratios: RatioResult[];
}

export interface RunSettings {
  durationMs: number;
  warmupMs: number;
  repetitions: number;
  /** Per line and repetition of the latency pass (groups not at concurrency 1); 0 skips it. */
  latencyMs: number;
  noisyRme: number;
}

interface Running {
  subject: Subject;
  cursor: Cursor;
  samples: SampleResult[];
  histogram: RecordableHistogram;
  /** The latency pass at concurrency 1, when the group runs at another. */
  latency: { histogram: RecordableHistogram; samples: { p50Us: number; p99Us: number }[]; calls: number };
  upstream: number;
  census?: Census;
  error?: string;
}

/** Calls counted by MONITOR per Redis line: enough to see a 1-in-100 command. */
const CENSUS_CALLS = 500;

/**
 * Warms each line up, then runs the repetitions in turns, the order rotated each time, so no
 * line always runs first (just after another's garbage) or last.
 */
export async function runGroup(
  group: Group,
  settings: RunSettings,
  progress: Progress,
  admin: Redis | undefined,
): Promise<GroupResult> {
  const running: Running[] = group.subjects.map((subject) => ({
    subject,
    cursor: { next: group.start },
    samples: [],
    histogram: createHistogram(),
    latency: { histogram: createHistogram(), samples: [], calls: 0 },
    upstream: 0,
  }));
  progress.section(`${group.title} (${group.subjects.length} lines, concurrency ${group.concurrency})`);
  if (group.fill.length > 0) {
    for (const line of running) {
      progress.step(line.subject.label, "filling the store", 0);
      await guarded(line, () => callEach(line.subject, group.fill, group.concurrency));
    }
  }
  for (const line of running) {
    progress.step(line.subject.label, "warm-up", settings.warmupMs);
    await guarded(
      line,
      () => measure(line.subject.op, group.concurrency, settings.warmupMs, line.cursor),
      settings.warmupMs,
    );
  }
  for (let rep = 0; rep < settings.repetitions; rep++) {
    const round = `repetition ${rep + 1}/${settings.repetitions}`;
    progress.round(round);
    for (let k = 0; k < running.length; k++) {
      const line = running[(k + rep) % running.length] as Running;
      progress.step(line.subject.label, round, settings.durationMs);
      await guarded(
        line,
        () => sampleOnce(line, group.concurrency, settings.durationMs),
        settings.durationMs,
      );
    }
  }
  // The latency view, before the census (MONITOR slows every call): one call at a time, in turns.
  if (group.concurrency !== 1 && settings.latencyMs > 0) {
    for (let rep = 0; rep < settings.repetitions; rep++) {
      const round = `latency ${rep + 1}/${settings.repetitions}, one call at a time`;
      progress.round(round);
      for (let k = 0; k < running.length; k++) {
        const line = running[(k + rep) % running.length] as Running;
        progress.step(line.subject.label, round, settings.latencyMs);
        await guarded(line, () => latencyOnce(line, settings.latencyMs), settings.latencyMs);
      }
    }
  }
  if (admin !== undefined) {
    for (const line of running.filter((l) => l.subject.onRedis)) {
      progress.step(line.subject.label, "counting its Redis commands", 0);
      await guarded(line, async () => {
        const calls = Array.from({ length: CENSUS_CALLS }, () => line.cursor.next++);
        line.census = await census(admin, CENSUS_CALLS, () =>
          callEach(line.subject, calls, group.concurrency),
        );
      });
    }
  }
  const subjects = running.map((line) => summarise(line, settings.noisyRme, group.concurrency));
  const { fill: _fill, start: _start, ...meta } = group;
  return { ...meta, subjects, ratios: ratios(group, subjects) };
}

async function sampleOnce(line: Running, concurrency: number, durationMs: number): Promise<void> {
  const upstreamBefore = line.subject.upstreamCalls?.() ?? 0;
  const sample = await measure(line.subject.op, concurrency, durationMs, line.cursor);
  line.upstream += (line.subject.upstreamCalls?.() ?? 0) - upstreamBefore;
  line.histogram.add(sample.histogram);
  line.samples.push({
    ops: sample.ops,
    elapsedMs: sample.elapsedMs,
    opsPerSec: sample.opsPerSec,
    cpuUsPerCall: sample.ops > 0 ? sample.cpuUs / sample.ops : 0,
    p50Us: sample.histogram.percentile(50) / 1000,
    p99Us: sample.histogram.percentile(99) / 1000,
  });
}

async function latencyOnce(line: Running, durationMs: number): Promise<void> {
  const sample = await measure(line.subject.op, 1, durationMs, line.cursor);
  line.latency.histogram.add(sample.histogram);
  line.latency.calls += sample.ops;
  line.latency.samples.push({
    p50Us: sample.histogram.percentile(50) / 1000,
    p99Us: sample.histogram.percentile(99) / 1000,
  });
}

/** Unmeasured calls of the given indices, `concurrency` at a time: the fill, the census. */
async function callEach(subject: Subject, indices: readonly number[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async (_: unknown, w: number): Promise<void> => {
    while (next < indices.length) await subject.op(indices[next++] as number, w);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** How long past its planned time a step may take before its line is declared stalled. */
const STALL_MS = 30_000;

/**
 * A line that throws, or whose calls stop settling (a library waiting for ever on a dead
 * connection), stops being measured; its error is reported and the others go on.
 */
async function guarded(line: Running, run: () => Promise<unknown>, plannedMs = 0): Promise<void> {
  if (line.error !== undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`calls stopped settling (${STALL_MS / 1000} s past plan)`)),
      plannedMs + STALL_MS,
    );
  });
  try {
    await Promise.race([run(), stalled]);
  } catch (error) {
    line.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    clearTimeout(timer);
  }
}

function summarise(line: Running, noisyRme: number, concurrency: number): SubjectResult {
  const { op: _op, upstreamCalls, ...meta } = line.subject;
  const samples = line.error === undefined ? line.samples : [];
  const opsPerSec = samples.length > 0 ? spread(samples.map((s) => s.opsPerSec)) : spread([0]);
  const cpuUsPerCall = samples.length > 0 ? spread(samples.map((s) => s.cpuUsPerCall)) : spread([0]);
  const latency = latencyView(line, samples, concurrency);
  return {
    ...meta,
    samples,
    opsPerSec,
    cpuUsPerCall,
    p50Us: line.histogram.count > 0 ? line.histogram.percentile(50) / 1000 : 0,
    p99Us: line.histogram.count > 0 ? line.histogram.percentile(99) / 1000 : 0,
    ...(latency === undefined ? {} : { latency }),
    ...(line.census === undefined ? {} : { redis: line.census }),
    calls: samples.reduce((sum, s) => sum + s.ops, 0),
    ...(upstreamCalls === undefined ? {} : { upstreamCalls: line.upstream }),
    noisy: opsPerSec.rme > noisyRme,
    ...(line.error === undefined ? {} : { error: line.error }),
  };
}

/** One call at a time: the throughput repetitions themselves at concurrency 1, else the latency pass. */
function latencyView(line: Running, samples: SampleResult[], concurrency: number): LatencyResult | undefined {
  if (line.error !== undefined) return undefined;
  if (concurrency === 1) {
    if (line.histogram.count === 0) return undefined;
    return {
      concurrency: 1,
      source: "throughput",
      calls: samples.reduce((sum, s) => sum + s.ops, 0),
      p50Us: line.histogram.percentile(50) / 1000,
      p99Us: line.histogram.percentile(99) / 1000,
      samples: samples.map(({ p50Us, p99Us }) => ({ p50Us, p99Us })),
    };
  }
  const { histogram, samples: own, calls } = line.latency;
  if (histogram.count === 0) return undefined;
  return {
    concurrency: 1,
    source: "own",
    calls,
    p50Us: histogram.percentile(50) / 1000,
    p99Us: histogram.percentile(99) / 1000,
    samples: own,
  };
}

function ratios(group: Group, subjects: SubjectResult[]): RatioResult[] {
  const byId = new Map(subjects.map((s) => [s.id, s]));
  const out: RatioResult[] = [];
  for (const subject of subjects) {
    if (subject.role !== "ours") continue;
    const against = [...(subject.baseline === undefined ? [] : [subject.baseline]), ...group.compareWith];
    for (const id of against) {
      const other = byId.get(id);
      const ratio = other === undefined ? undefined : pairedRatio(subject, other);
      if (ratio !== undefined) out.push(ratio);
    }
  }
  return out;
}

/**
 * `subject` ÷ `other`, repetition by repetition: both were measured seconds apart, so slow drift on
 * a shared machine (another process waking up) cancels out of each pair. Undefined when either
 * has no repetitions (it failed).
 */
export function pairedRatio(subject: SubjectResult, other: SubjectResult): RatioResult | undefined {
  if (subject.samples.length === 0 || other.samples.length === 0) return undefined;
  const perRepetition = subject.samples.map(
    (s, i) => s.opsPerSec / (other.samples[i] as SampleResult).opsPerSec,
  );
  const cpu = subject.samples.map((s, i) => (other.samples[i] as SampleResult).cpuUsPerCall / s.cpuUsPerCall);
  return {
    subject: subject.id,
    against: other.id,
    ratio: spread(perRepetition),
    perRepetition,
    cpuRatio: spread(cpu),
  };
}
