import type { EventStoreResult } from "../workloads/event-store";
import { formatMicros, formatPercent, formatRate, formatRatio } from "./format";
import { renderColumns } from "./table";

/** "ours" / "SDK example": who wrote the line, as the event-store tables and chart name it. */
export function eventWho(role: string): string {
  return role === "ours" ? "ours" : "SDK example";
}

/** Bytes as 812 B, 41.2 KB, 1.23 MB (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toPrecision(3)} ${units[unit]}`;
}

/** The event store's three tables: writes, replays, Redis memory. */
export function eventStoreTables(result: EventStoreResult, noisyRme: number): string {
  const { writes, replays, memory } = result;
  const hasSdk = writes.some((w) => w.vsSdkExample !== undefined);
  const writeRows = writes.map((w) =>
    w.error !== undefined
      ? [w.label, eventWho(w.role), `${w.messageBytes} B`, String(w.concurrency), `failed: ${w.error}`]
      : [
          w.label,
          eventWho(w.role),
          `${w.messageBytes} B`,
          String(w.concurrency),
          formatRate(w.eventsPerSec.median),
          `${formatPercent(w.eventsPerSec.rme)}${w.noisy ? " !" : ""}`,
          formatMicros(w.cpuUsPerEvent.median),
          formatMicros(w.p50Us),
          formatMicros(w.p99Us),
          ...(hasSdk ? [w.vsSdkExample === undefined ? "" : formatRatio(w.vsSdkExample.median)] : []),
        ],
  );
  const writeHead = [
    "line",
    "who",
    "message",
    "in flight",
    "events/s",
    "±",
    "CPU/event",
    "p50",
    "p99",
    ...(hasSdk ? ["÷ SDK example"] : []),
  ];
  const replayRows = replays.map((r) =>
    r.error !== undefined
      ? [r.label, eventWho(r.role), `${r.messageBytes} B`, `failed: ${r.error}`]
      : [
          r.label,
          eventWho(r.role),
          `${r.messageBytes} B`,
          String(r.eventsPerReplay),
          formatRate(r.eventsPerSec.median),
          `${formatPercent(r.eventsPerSec.rme)}${r.noisy ? " !" : ""}`,
          ...(hasSdk ? [r.vsSdkExample === undefined ? "" : formatRatio(r.vsSdkExample.median)] : []),
        ],
  );
  const replayHead = [
    "line",
    "who",
    "message",
    "events/replay",
    "events/s",
    "±",
    ...(hasSdk ? ["÷ SDK example"] : []),
  ];
  const noisy = [...writes, ...replays].some((l) => l.noisy)
    ? `\n  ! relative error above ${formatPercent(noisyRme, 0)}: noisy`
    : "";
  const sections = [
    `Event store — storeEvent: ${result.sampleMs} ms per line and repetition on one stream, ` +
      `kept at its bound (${result.maxEventsPerStream} events) so every write also trims\n` +
      `${renderColumns(writeHead, writeRows)}${noisy}\n` +
      "  In flight: writes at once (1: one stream's messages, as a transport sends them; more: the benchmark's " +
      "--concurrency on Redis, --local-concurrency in process). p50/p99: one write, over every repetition. " +
      "The SDK example keeps every event in one Map (no bound, no expiry, one process): a floor, not a peer.",
    `Event store — replay: replayEventsAfter the oldest of ${result.maxEventsPerStream} retained events, one replay at a time\n` +
      renderColumns(replayHead, replayRows) +
      `\n  events/s: events sent per second, replaying again and again for ${result.sampleMs >> 1} ms per repetition. ` +
      `The SDK example replays from a store of its own holding ${result.maxEventsPerStream} events (it keeps all it is given); ` +
      "it sorts them on every replay, and orders events stored in one millisecond at random (so it may send fewer).",
  ];
  if (memory.length > 0) {
    const rows = memory.map((m) =>
      m.error !== undefined
        ? [`${m.kind} (${m.messageBytes} B)`, `store-${m.store}`, `failed: ${m.error}`]
        : [
            `${m.kind} (${m.messageBytes} B)`,
            `store-${m.store}`,
            formatBytes(m.bytes),
            `${Math.round(m.bytes / m.events)} B`,
            `${Math.round(m.overheadPerEvent)} B`,
          ],
    );
    sections.push(
      `Event store — Redis memory per ${memory[0]?.events.toLocaleString("en-US")} events on one stream\n` +
        renderColumns(["message", "written by", "per 1,000 events", "per event", "beyond the JSON"], rows) +
        "\n  MEMORY USAGE … SAMPLES 0 of each of the stream's keys (events list and head), after 1,000 writes; " +
        "both Redis stores run one script, so write the same bytes.",
    );
  }
  return sections.join("\n\n");
}
