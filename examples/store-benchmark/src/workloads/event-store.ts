import { randomUUID } from "node:crypto";
import { createHistogram } from "node:perf_hooks";
import type { BenchContext } from "../context";
import type { Unavailable } from "../plan";
import type { Progress } from "../progress";
import { type Spread, spread } from "../stats";
import { MESSAGE_KINDS, messages } from "./event-messages";
import {
  EVENTS,
  type EventLineMeta,
  type EventWriteSample,
  guarded,
  type Running,
  write,
} from "./event-store-lines";
import { type EventMemoryLine, eventMemory } from "./event-store-memory";
import { type EventReplayLine, runReplays } from "./event-store-replay";
import { eventStoreSubjects } from "./event-store-subjects";

export type { EventLineMeta } from "./event-store-lines";

export interface EventWriteLine extends EventLineMeta {
  concurrency: number;
  samples: EventWriteSample[];
  eventsPerSec: Spread;
  cpuUsPerEvent: Spread;
  /** Over every write of every repetition, µs. */
  p50Us: number;
  p99Us: number;
  noisy: boolean;
  /** Ours in process ÷ the SDK's example store, same messages and concurrency, paired per repetition. */
  vsSdkExample?: Spread;
}

/** The event-store workload: writes, replays, and Redis memory. */
export interface EventStoreResult {
  /** Measured time per line and repetition of storeEvent (--duration ÷ 16, at least 20 ms); replays get half. */
  sampleMs: number;
  /** Each line's stream is kept at this bound from its fill on: every measured write also trims. */
  maxEventsPerStream: number;
  writes: EventWriteLine[];
  replays: EventReplayLine[];
  memory: EventMemoryLine[];
}

/**
 * storeEvent and replayEventsAfter on each store, and what 1,000 events cost Redis in memory.
 * Each line writes one stream (as one tool call's messages), first filled to its bound, then for
 * --duration ÷ 16 per repetition, the lines taking turns; then, on the lines written one at
 * a time, replays after the oldest retained event. Short samples keep the default run's added
 * time to a few seconds; --duration lengthens them.
 */
export async function runEventStore(
  ctx: BenchContext,
  unavailable: Unavailable[],
  progress: Progress,
): Promise<EventStoreResult | undefined> {
  const subjects = await eventStoreSubjects(ctx, unavailable);
  if (subjects.length === 0) return undefined;
  const { repetitions, noisyRme } = ctx.options;
  const sampleMs = Math.max(20, Math.round(ctx.options.durationMs / 16));
  progress.section(`Event store: storeEvent and replay, ${sampleMs} ms per line and repetition`);
  const running: Running[] = [];
  for (const subject of subjects) {
    const { open, ...described } = subject;
    // The benchmark's conventions: in-process lines at --local-concurrency, Redis lines at
    // --concurrency; every line also one write at a time, as one stream's messages are sent.
    const levels = [
      ...new Set([1, subject.onRedis ? ctx.options.concurrency : ctx.options.localConcurrency]),
    ];
    for (const kind of MESSAGE_KINDS) {
      for (const concurrency of levels) {
        const meta: EventLineMeta = {
          ...described,
          lineId: `event-store/${subject.id}/${kind}/c${concurrency}`,
          kind,
          messageBytes: 0,
        };
        const line: Running = {
          meta,
          subject,
          concurrency,
          events: open((why) => {
            meta.error ??= why;
          }),
          messages: messages(kind),
          stream: randomUUID(),
          written: 0,
          ids: [],
          histogram: createHistogram(),
          samples: [],
        };
        meta.messageBytes = line.messages.bytes;
        running.push(line);
      }
    }
  }
  for (const line of running) {
    progress.step(line.meta.label, `filling its stream (${line.meta.kind}, @${line.concurrency})`, 0);
    await guarded(line.meta, () => write(line, { events: EVENTS }));
  }
  for (let rep = 0; rep < repetitions; rep++) {
    progress.round(`storeEvent, repetition ${rep + 1}/${repetitions}`);
    for (let k = 0; k < running.length; k++) {
      const line = running[(k + rep) % running.length] as Running;
      progress.step(line.meta.label, `${line.meta.kind} @${line.concurrency}`, sampleMs);
      await guarded(line.meta, async () => {
        line.samples.push(await write(line, { ms: sampleMs }));
      });
    }
  }
  const writes = running.map((line) => summariseWrites(line, noisyRme));
  pairWithSdk(
    writes,
    (w) => w.samples.map((s) => s.eventsPerSec),
    (w) => `${w.kind}/${w.concurrency}`,
  );
  const replays = await runReplays(
    running.filter((line) => line.concurrency === 1),
    { repetitions, noisyRme, sampleMs: sampleMs >> 1 },
    progress,
  );
  pairWithSdk(
    replays,
    (r) => r.samples,
    (r) => r.kind,
  );
  const memory = await eventMemory(ctx, subjects, progress);
  if (memory.length === 0) {
    unavailable.push({
      workload: "event-store",
      what: "event store: Redis memory per 1,000 events",
      reason: ctx.redis === undefined ? "there is no Redis" : "no Redis store was asked for or loads",
    });
  }
  return { sampleMs, maxEventsPerStream: EVENTS, writes, replays, memory };
}

function summariseWrites(line: Running, noisyRme: number): EventWriteLine {
  const samples = line.meta.error === undefined ? line.samples : [];
  const of = (pick: (s: EventWriteSample) => number) => spread(samples.length > 0 ? samples.map(pick) : [0]);
  const eventsPerSec = of((s) => s.eventsPerSec);
  const counted = line.histogram.count > 0;
  return {
    ...line.meta,
    concurrency: line.concurrency,
    samples,
    eventsPerSec,
    cpuUsPerEvent: of((s) => s.cpuUsPerEvent),
    p50Us: counted ? line.histogram.percentile(50) / 1000 : 0,
    p99Us: counted ? line.histogram.percentile(99) / 1000 : 0,
    noisy: eventsPerSec.rme > noisyRme,
  };
}

/**
 * Ours in process over the SDK's example store, repetition by repetition (measured seconds
 * apart, in turns): the one comparison where both do the same job in the same place.
 */
function pairWithSdk<L extends EventLineMeta & { vsSdkExample?: Spread }>(
  lines: L[],
  rates: (line: L) => number[],
  key: (line: L) => string,
): void {
  for (const line of lines) {
    if (line.role !== "ours" || line.onRedis) continue;
    const sdk = lines.find((l) => l.id === "sdk-example" && key(l) === key(line));
    const ours = rates(line);
    const theirs = sdk === undefined ? [] : rates(sdk);
    if (ours.length === 0 || theirs.length !== ours.length) continue;
    line.vsSdkExample = spread(ours.map((r, i) => r / (theirs[i] as number)));
  }
}
