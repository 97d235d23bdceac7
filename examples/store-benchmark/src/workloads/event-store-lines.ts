// What the event-store workload's write and replay passes share: a line, its timed writes, its guard.
import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import type { MessageKind, Messages } from "./event-messages";
import type { EventStoreLike, EventStoreSubject } from "./event-store-subjects";

/** The stream's bound (createEventStore's default), events written first, and events per replay. */
export const EVENTS = 1000;

export interface EventWriteSample {
  eventsPerSec: number;
  /** CPU time of this process per event (process.cpuUsage), µs. */
  cpuUsPerEvent: number;
  p50Us: number;
  p99Us: number;
}

/** Shared by the write and replay lines: which store, which messages. */
export interface EventLineMeta extends Omit<EventStoreSubject, "open"> {
  /** `event-store/<subject>/<kind>/...`. */
  lineId: string;
  kind: MessageKind;
  messageBytes: number;
  error?: string;
}

/** A write line while it runs: its own event store instance and stream. */
export interface Running {
  meta: EventLineMeta;
  subject: EventStoreSubject;
  concurrency: number;
  events: EventStoreLike;
  messages: Messages;
  stream: string;
  written: number;
  /** The newest ids (at least `EVENTS`), in the order their writes returned: stream order at concurrency 1. */
  ids: string[];
  histogram: RecordableHistogram;
  samples: EventWriteSample[];
}

/**
 * Writes on the line's stream, `concurrency` at a time, each timed: `events` of them (the fill,
 * unmeasured) or as many as fit in `ms`.
 */
export async function write(
  line: Running,
  until: { events: number } | { ms: number },
): Promise<EventWriteSample> {
  const histogram = createHistogram();
  let done = 0;
  let started = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const more = "events" in until ? () => started < until.events : () => performance.now() - start < until.ms;
  const worker = async (): Promise<void> => {
    while (more()) {
      started++;
      const message = line.messages.at(line.written++);
      const before = performance.now();
      const id = await line.events.storeEvent(line.stream, message);
      histogram.record(Math.max(1, Math.round((performance.now() - before) * 1e6)));
      done++;
      line.ids.push(id);
      if (line.ids.length >= 2 * EVENTS) line.ids.splice(0, line.ids.length - EVENTS);
      // In-process writes settle as microtasks: let the event loop turn (Ctrl-C) now and then.
      if (done % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: line.concurrency }, worker));
  // Writes in flight at the deadline finish after it: their time counts too.
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  // Ours never rejects a write it could not make: it tells its logger, which failed the line.
  if (line.meta.error !== undefined) throw new Error(line.meta.error);
  if ("ms" in until) line.histogram.add(histogram);
  return {
    eventsPerSec: (done * 1000) / elapsedMs,
    cpuUsPerEvent: (used.user + used.system) / done,
    p50Us: histogram.percentile(50) / 1000,
    p99Us: histogram.percentile(99) / 1000,
  };
}

/** How long past nothing a batch may take before its line is declared stalled. */
const STALL_MS = 30_000;

/** A line that throws or stops settling fails alone: its error is reported, the others go on. */
export async function guarded(meta: EventLineMeta, run: () => Promise<unknown>): Promise<void> {
  if (meta.error !== undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`calls stopped settling (${STALL_MS / 1000} s)`)), STALL_MS);
  });
  try {
    await Promise.race([run(), stalled]);
  } catch (error) {
    meta.error ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    clearTimeout(timer);
  }
}
