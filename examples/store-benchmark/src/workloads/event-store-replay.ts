import { randomUUID } from "node:crypto";
import type { Progress } from "../progress";
import { type Spread, spread } from "../stats";
import { EVENTS, type EventLineMeta, guarded, type Running, write } from "./event-store-lines";

export interface EventReplayLine extends EventLineMeta {
  /** Events each replay sent (the SDK's example orders events within a millisecond at random). */
  eventsPerReplay: number;
  /** Events sent per second in each repetition: replays one after another for the sample time. */
  samples: number[];
  eventsPerSec: Spread;
  noisy: boolean;
  vsSdkExample?: Spread;
}

/**
 * One replay at a time (a client reconnecting), after the oldest event the stream still holds:
 * every other retained event is sent. A short count fails our lines: a replay must miss nothing.
 */
export async function runReplays(
  written: Running[],
  settings: { repetitions: number; noisyRme: number; sampleMs: number },
  progress: Progress,
): Promise<EventReplayLine[]> {
  const { repetitions, noisyRme, sampleMs } = settings;
  // A store that keeps everything would replay from all the line wrote: give it what ours holds.
  const lines = await Promise.all(written.map((line) => (line.subject.unbounded ? holding(line) : line)));
  const counts = new Map<Running, number>();
  const samples = new Map<Running, number[]>(lines.map((line) => [line, []]));
  for (let rep = 0; rep < repetitions; rep++) {
    progress.round(`replay, repetition ${rep + 1}/${repetitions}`);
    for (let k = 0; k < lines.length; k++) {
      const line = lines[(k + rep) % lines.length] as Running;
      const { meta } = line;
      progress.step(meta.label, `replay (${meta.kind})`, sampleMs);
      await guarded(meta, async () => {
        // The oldest event the stream retains: the others are all sent.
        const after = line.ids[line.ids.length - EVENTS];
        if (after === undefined) throw new Error("fewer events were written than the stream keeps");
        let sent = 0;
        let replays = 0;
        const start = performance.now();
        do {
          const before = sent;
          await line.events.replayEventsAfter(after, { send: async () => void sent++ });
          replays++;
          if (meta.role === "ours" && sent - before !== EVENTS - 1) {
            throw new Error(
              `a replay sent ${sent - before} events, not the ${EVENTS - 1} retained after the one given`,
            );
          }
        } while (performance.now() - start < sampleMs);
        const elapsedMs = performance.now() - start;
        counts.set(line, Math.round(sent / replays));
        samples.get(line)?.push((sent * 1000) / elapsedMs);
      });
    }
  }
  return lines.map((line) => {
    const got = line.meta.error === undefined ? (samples.get(line) ?? []) : [];
    const eventsPerSec = spread(got.length > 0 ? got : [0]);
    return {
      ...line.meta,
      lineId: line.meta.lineId.replace(/\/c1$/, "/replay"),
      eventsPerReplay: counts.get(line) ?? 0,
      samples: got,
      eventsPerSec,
      noisy: eventsPerSec.rme > noisyRme,
    };
  });
}

/** A fresh store of the line's kind, its stream holding `EVENTS` events, written one at a time. */
async function holding(line: Running): Promise<Running> {
  const fresh: Running = {
    ...line,
    events: line.subject.open((why) => {
      line.meta.error ??= why;
    }),
    stream: randomUUID(),
    written: 0,
    ids: [],
    concurrency: 1,
  };
  await guarded(line.meta, () => write(fresh, { events: EVENTS }));
  return fresh;
}
