import { randomUUID } from "node:crypto";
import type { StoreName } from "../cli-options";
import type { BenchContext } from "../context";
import type { Progress } from "../progress";
import { MESSAGE_KINDS, type MessageKind, messages } from "./event-messages";
import type { EventStoreSubject } from "./event-store-subjects";

/** Events per measured stream: the figure is per 1,000 events, and this is the default bound. */
const EVENTS = 1000;

/** What one stream of 1,000 events holds in Redis. */
export interface EventMemoryLine {
  /** The store that wrote it: both Redis stores run the same script, so write the same bytes. */
  store: StoreName;
  kind: MessageKind;
  /** Median size of one message as JSON. */
  messageBytes: number;
  events: number;
  /** MEMORY USAGE (SAMPLES 0: every element) of each of the stream's keys. */
  keys: { key: string; bytes: number }[];
  /** The keys' sum: bytes per 1,000 events. */
  bytes: number;
  /** Bytes per event beyond the message's JSON. */
  overheadPerEvent: number;
  error?: string;
}

/**
 * One fresh stream of 1,000 events per message kind, written through the first Redis store of the
 * run, then MEMORY USAGE of every key of that stream: what Redis holds for it, allocator included.
 */
export async function eventMemory(
  ctx: BenchContext,
  subjects: readonly EventStoreSubject[],
  progress: Progress,
): Promise<EventMemoryLine[]> {
  const admin = ctx.redis?.clients.admin;
  const subject = subjects.find((s) => s.onRedis);
  if (admin === undefined || subject?.store === undefined) return [];
  const store = subject.store;
  const lines: EventMemoryLine[] = [];
  for (const kind of MESSAGE_KINDS) {
    progress.step(subject.label, `Redis memory of ${EVENTS} events (${kind})`, 0);
    const sample = messages(kind);
    const line: EventMemoryLine = {
      store,
      kind,
      messageBytes: sample.bytes,
      events: EVENTS,
      keys: [],
      bytes: 0,
      overheadPerEvent: 0,
    };
    try {
      let failed: string | undefined;
      const events = subject.open((why) => {
        failed ??= why;
      });
      const stream = randomUUID();
      for (let i = 0; i < EVENTS; i++) await events.storeEvent(stream, sample.at(i));
      if (failed !== undefined) throw new Error(failed);
      // The stream's keys, whatever their layout: this run's prefix and the stream's name (a UUID).
      let cursor = "0";
      do {
        const [next, keys] = await admin.scan(cursor, "MATCH", `${ctx.runId}*${stream}*`, "COUNT", 1000);
        for (const key of keys) {
          const bytes = Number(await admin.call("MEMORY", "USAGE", key, "SAMPLES", "0"));
          line.keys.push({ key, bytes });
        }
        cursor = next;
      } while (cursor !== "0");
      if (line.keys.length === 0) throw new Error("no key of the stream was found");
      line.bytes = line.keys.reduce((sum, k) => sum + k.bytes, 0);
      line.overheadPerEvent = line.bytes / EVENTS - sample.bytes;
    } catch (error) {
      line.error = error instanceof Error ? error.message : String(error);
    }
    lines.push(line);
  }
  return lines;
}
