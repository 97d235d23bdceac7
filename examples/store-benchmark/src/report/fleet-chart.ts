import type { CoherenceResult } from "../fleet/coherence";
import type { FleetStampedeResult } from "../fleet/stampede";
import { BAR_MAX, BAR_X, COLOR, DETAIL_X, heading, LEFT, ROW, rowLabel, VALUE_X, wrap } from "./chart-parts";
import { formatMicros } from "./format";
import { element, line, rect, text } from "./svg";

/** Upstream calls in total per line, on a log scale up to processes × calls. */
export function fleetStampedeChart(out: string[], y: number, lines: FleetStampedeResult[]): number {
  const first = lines[0];
  if (first === undefined) return y;
  const most = first.processes * first.callsPerProcess;
  out.push(
    heading(
      y,
      `Fleet stampede: ${first.processes} processes × ${first.callsPerProcess} concurrent calls on one cold key`,
      "calls that reached the tool in all processes, most in any round (log scale)",
    ),
  );
  const w = (n: number): number => Math.max(3, (Math.log10(Math.max(1, n)) / Math.log10(most)) * BAR_MAX);
  for (const s of lines) {
    y += ROW;
    if (!rowLabel(out, y, s)) continue;
    const n = s.maxUpstreamCalls;
    out.push(rect(BAR_X, y - 13, w(n), 17, { fill: COLOR[s.role], rx: 2 }));
    out.push(text(VALUE_X, y, `${n} ${n === 1 ? "call" : "calls"}`, { class: "num", "font-weight": 650 }));
    const slowest = Math.max(...s.rounds.map((r) => r.ms));
    const waits = s.rounds.reduce((sum, r) => sum + r.fleetWaits, 0);
    out.push(
      text(DETAIL_X, y, `slowest round ${formatMicros(slowest * 1000)} · ${waits} fleet waits`, {
        class: "small",
      }),
    );
  }
  return y;
}

/**
 * Each line's windows as a strip of dots (one per reader and invalidation) on a log scale of ms,
 * with p50, p99 and max marked: the distribution, not only its summary.
 */
export function coherenceChart(out: string[], y: number, lines: CoherenceResult[]): number {
  const first = lines[0];
  if (first === undefined) return y;
  out.push(
    heading(
      y,
      `Coherence: 1 writer, ${first.readers} reader process${first.readers === 1 ? "" : "es"}`,
      "invalidation returned → last read of the old value in another process; dots: every window > 0 (log scale), ticks: p50, p99, max",
    ),
  );
  const low = 0.01;
  const top = Math.max(1, ...lines.flatMap((l) => l.windowsMs)) * 1.2;
  const x = (ms: number): number =>
    BAR_X + (Math.log(Math.max(ms, low) / low) / Math.log(top / low)) * BAR_MAX;
  y += 18;
  for (const tick of [0.01, 0.1, 1, 10, 100, 1000, 10_000].filter((t) => t <= top)) {
    out.push(text(x(tick), y, formatMicros(tick * 1000), { class: "small", "text-anchor": "middle" }));
  }
  for (const s of lines) {
    y += ROW;
    if (!rowLabel(out, y, s)) continue;
    out.push(line(BAR_X, y - 4, BAR_X + BAR_MAX, y - 4, { stroke: "#e5e7eb" }));
    for (const ms of s.windowsMs.filter((v) => v > 0)) {
      out.push(element("circle", { cx: x(ms), cy: y - 4, r: 2.5, fill: COLOR.ours, "fill-opacity": 0.35 }));
    }
    for (const [name, ms] of [
      ["p50", s.window.p50],
      ["p99", s.window.p99],
      ["max", s.window.max],
    ] as const) {
      out.push(
        line(x(ms), y - 12, x(ms), y + 4, { stroke: "#111827", "stroke-width": name === "p50" ? 2 : 1 }),
      );
    }
    const ms = (v: number): string => formatMicros(v * 1000);
    out.push(
      text(VALUE_X, y, `p99 ${ms(s.window.p99)}`, { class: "num", "font-weight": 650 }),
      text(
        DETAIL_X,
        y,
        `p50 ${ms(s.window.p50)} · max ${ms(s.window.max)} · ${s.staleAfterReturn}/${s.windowsMs.length} stale after return`,
        { class: "small" },
      ),
    );
  }
  for (const part of wrap(
    "A window of 0: no read that started after the invalidation returned saw the old value. Readers read through their first tier every ~0.1 ms (asleep in between), the event loop turning between reads.",
    165,
  )) {
    y += 17;
    out.push(text(LEFT, y, part, { class: "small" }));
  }
  return y;
}
