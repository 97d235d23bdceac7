import { createHistogram, type RecordableHistogram } from "node:perf_hooks";

/**
 * One call of a line. `i` counts calls across workers and repetitions, so call sequences go on
 * where they stopped; `worker` (0..concurrency-1) lets a line give each worker its own resource.
 */
export type Op = (i: number, worker: number) => unknown;

/** Where a line is in its call sequence; shared by its workers, kept across repetitions. */
export interface Cursor {
  next: number;
}

export interface Sample {
  ops: number;
  elapsedMs: number;
  opsPerSec: number;
  /**
   * CPU time this process spent meanwhile (process.cpuUsage: user + system, every thread), in µs.
   * On a shared machine it moves less than ops/s: waiting for a core costs no CPU time.
   */
  cpuUs: number;
  /** Latency of every call in nanoseconds (1 ns resolution, 3 significant figures). */
  histogram: RecordableHistogram;
}

/**
 * Runs `op` in a closed loop: `concurrency` workers each start their next call when their
 * previous one settles, until `durationMs` is up. Each call is timed on its own, so percentiles
 * are of real calls; the timer costs ~50 ns a call, the same on every line.
 */
export async function measure(
  op: Op,
  concurrency: number,
  durationMs: number,
  cursor: Cursor,
): Promise<Sample> {
  const histogram = createHistogram();
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  const breathe = breather(start);
  const worker = async (_: unknown, w: number): Promise<void> => {
    let before = performance.now();
    while (before < end) {
      await op(cursor.next++, w);
      const after = performance.now();
      histogram.record(Math.max(1, Math.round((after - before) * 1e6)));
      ops++;
      const pause = breathe(after);
      before = pause === undefined ? after : await pause.then(() => performance.now());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // Calls in flight at the deadline finish after it: count the time they took too.
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ops, elapsedMs, opsPerSec: (ops * 1000) / elapsedMs, cpuUs: used.user + used.system, histogram };
}

/** How often every worker of an in-process line stops for one turn of the event loop. */
const BREATH_MS = 10;

/**
 * In-process calls settle as microtasks, so their workers would keep the event loop from ever
 * turning for a whole repetition: no signal (Ctrl-C) would be handled, and tsx, which relays
 * signals, kills a child that does not answer within 30 ms. Every BREATH_MS, all workers wait for
 * one `setImmediate` (a few µs; the same on every line, and outside every call's timing).
 */
function breather(start: number): (now: number) => Promise<void> | undefined {
  let pending: Promise<void> | undefined;
  let last = start;
  return (now) => {
    if (pending === undefined && now - last >= BREATH_MS) {
      last = now;
      pending = new Promise((resolve) =>
        setImmediate(() => {
          pending = undefined;
          resolve();
        }),
      );
    }
    return pending;
  };
}
