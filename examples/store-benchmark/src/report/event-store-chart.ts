import type { Spread } from "../stats";
import type { EventLineMeta, EventStoreResult } from "../workloads/event-store";
import { BAR_MAX, BAR_X, COLOR, DETAIL_X, heading, LEFT, ROW, rowLabel, VALUE_X, wrap } from "./chart-parts";
import { formatBytes } from "./event-store-tables";
import { formatMicros, formatPercent, formatRate, formatRatio } from "./format";
import { line, rect, text } from "./svg";

/**
 * The event store: storeEvent and replay rates as bars on one log scale each (Redis writes and
 * in-process ones are two orders of magnitude apart), then Redis bytes per 1,000 events.
 */
export function eventStoreChart(out: string[], y: number, result: EventStoreResult): number {
  const writes = result.writes.map((w) => ({
    ...w,
    label: `${short(w)} · @${w.concurrency}`,
    detail: `±${formatPercent(w.eventsPerSec.rme, 0)}${w.noisy ? " noisy" : ""} · CPU ${formatMicros(w.cpuUsPerEvent.median)} · p50 ${formatMicros(w.p50Us)} · p99 ${formatMicros(w.p99Us)}${vsSdk(w.vsSdkExample)}`,
  }));
  y = rateBars(
    out,
    y,
    writes,
    "Event store: storeEvent",
    `events/s on one stream kept at its bound (${result.maxEventsPerStream}); @n: writes in flight (log scale)`,
  );
  const replays = result.replays.map((r) => ({
    ...r,
    label: short(r),
    detail: `±${formatPercent(r.eventsPerSec.rme, 0)}${r.noisy ? " noisy" : ""} · ${r.eventsPerReplay} per replay${vsSdk(r.vsSdkExample)}`,
  }));
  y = rateBars(
    out,
    y + 34,
    replays,
    "Event store: replay",
    `events/s sent by replayEventsAfter the oldest of ${result.maxEventsPerStream} retained events, one replay at a time (log scale)`,
  );
  const note =
    "SDK example: the in-memory EventStore @modelcontextprotocol/sdk ships for its examples (one Map, no bound, no expiry, one process), the least an event store can do.";
  for (const part of wrap(note, 165)) {
    y += 17;
    out.push(text(LEFT, y, part, { class: "small" }));
  }
  if (result.memory.length === 0) return y;
  y += 34;
  out.push(
    heading(
      y,
      "Event store: Redis memory per 1,000 events",
      "MEMORY USAGE (SAMPLES 0) of one stream's keys after 1,000 writes",
    ),
  );
  const most = Math.max(1, ...result.memory.map((m) => m.bytes));
  for (const m of result.memory) {
    y += ROW;
    if (
      !rowLabel(out, y, { label: `${m.kind} · ${m.messageBytes} B messages`, role: "ours", error: m.error })
    ) {
      continue;
    }
    out.push(rect(BAR_X, y - 13, (m.bytes / most) * BAR_MAX, 17, { fill: COLOR.ours, rx: 2 }));
    out.push(text(VALUE_X, y, formatBytes(m.bytes), { class: "num", "font-weight": 650 }));
    out.push(
      text(
        DETAIL_X,
        y,
        `${Math.round(m.bytes / m.events)} B per event, ${Math.round(m.overheadPerEvent)} B beyond its JSON · written by store-${m.store}`,
        { class: "small" },
      ),
    );
  }
  return y;
}

type Bar = EventLineMeta & { eventsPerSec: Spread; noisy: boolean; detail: string };

function rateBars(out: string[], y: number, bars: Bar[], title: string, remark: string): number {
  out.push(heading(y, title, remark));
  const low = 100;
  const top = Math.max(low * 10, ...bars.map((b) => b.eventsPerSec.max)) * 1.2;
  const w = (v: number): number => (Math.log(Math.max(v, low) / low) / Math.log(top / low)) * BAR_MAX;
  for (const b of bars) {
    y += ROW;
    if (!rowLabel(out, y, b)) continue;
    out.push(rect(BAR_X, y - 13, Math.max(3, w(b.eventsPerSec.median)), 17, { fill: COLOR[b.role], rx: 2 }));
    out.push(
      line(BAR_X + w(b.eventsPerSec.min), y - 4, BAR_X + w(b.eventsPerSec.max), y - 4, { stroke: "#111827" }),
    );
    out.push(
      text(VALUE_X, y, `${formatRate(b.eventsPerSec.median)}/s`, { class: "num", "font-weight": 650 }),
    );
    out.push(text(DETAIL_X, y, b.detail, { class: "small num", fill: b.noisy ? "#b45309" : undefined }));
  }
  return y;
}

/** "store-ioredis · 155 B", "SDK example · 1024 B". */
function short(l: EventLineMeta): string {
  return `${l.store === undefined ? "SDK example" : `store-${l.store}`} · ${l.messageBytes} B`;
}

function vsSdk(ratio: Spread | undefined): string {
  return ratio === undefined ? "" : ` · ${formatRatio(ratio.median)} SDK`;
}
