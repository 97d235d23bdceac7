import type { Role } from "../plan";
import type { GroupResult, SubjectResult } from "../run-group";
import type { TargetResult } from "../targets";
import type { StampedeResult } from "../workloads/stampede";
import { BAR_MAX, BAR_X, COLOR, DETAIL_X, heading, LEFT, ROW, rowLabel, VALUE_X, wrap } from "./chart-parts";
import { eventStoreChart } from "./event-store-chart";
import { coherenceChart, fleetStampedeChart } from "./fleet-chart";
import { formatMicros, formatPercent, formatRate, formatRatio } from "./format";
import type { BenchReport } from "./json";
import { element, line, rect, svgDocument, text } from "./svg";
import { shortName } from "./terminal";

const WIDTH = 1180;
const VERDICT = {
  met: { fill: "#16a34a", label: "met" },
  missed: { fill: "#dc2626", label: "missed" },
  "not measured": { fill: "#9ca3af", label: "n/a" },
} as const;

/**
 * The report as one self-contained SVG: the targets first (each a small bullet chart: the
 * threshold, the median ratio, the spread of the repetitions), then one bar chart per group
 * with its ratios under our lines, then the stampede on a log scale.
 */
export function renderChart(report: BenchReport): string {
  const out: string[] = [];
  let y = 36;
  out.push(text(LEFT, y, "mcp-persist store benchmark", { class: "title" }));
  for (const sub of subtitle(report)) {
    y += 18;
    out.push(text(LEFT, y, sub, { class: "sub" }));
  }
  y += 22;
  y = legend(out, y);
  if (report.options.quick) {
    y += 22;
    out.push(
      text(LEFT, y, "--quick run: repetitions too short to quote; run pnpm bench for real figures", {
        fill: "#b45309",
      }),
    );
  }
  y = targets(out, y + 34, report.targets);
  for (const group of report.groups) y = groupChart(out, y + 34, group);
  if (report.stampede !== undefined)
    y = stampedeChart(out, y + 34, report.stampede, report.options.stampedeCalls);
  if (report.fleetStampede !== undefined) y = fleetStampedeChart(out, y + 34, report.fleetStampede);
  if (report.coherence !== undefined) y = coherenceChart(out, y + 34, report.coherence);
  if (report.eventStore !== undefined) y = eventStoreChart(out, y + 34, report.eventStore);
  if (report.unavailable.length > 0) {
    y += 34;
    out.push(text(LEFT, y, "Not measured", { class: "h" }));
    for (const u of report.unavailable) {
      for (const part of wrap(`${u.what}: ${u.reason}`, 150)) {
        y += 17;
        out.push(text(LEFT, y, part, { class: "small" }));
      }
    }
  }
  return svgDocument(WIDTH, y + 30, `mcp-persist store benchmark, ${report.startedAt}`, out);
}

function subtitle(report: BenchReport): string[] {
  const m = report.machine;
  const o = report.options;
  const redis =
    report.redis === null
      ? "no Redis: in-process store only"
      : `Redis ${report.redis.version} (${report.redis.source === "started" ? "started for this run" : "REDIS_URL"})`;
  return [
    `${report.startedAt.slice(0, 16).replace("T", " ")} UTC · ${m.cpuCount} × ${m.cpuModel} · Node ${m.node} · ${redis} · ` +
      `load average ${m.loadAverage.start.toFixed(1)} → ${m.loadAverage.end?.toFixed(1) ?? "?"}`,
    `${o.repetitions} repetitions × ${o.durationMs} ms per line, lines taking turns, after ${o.warmupMs} ms warm-up · ` +
      `${o.payloadBytes} B tool results · bars: median ops/s, whiskers: slowest–fastest repetition, each chart on its own scale`,
  ];
}

function legend(out: string[], y: number): number {
  let x = LEFT;
  const names: Record<Role, string> = {
    ours: "mcp-persist",
    baseline: "raw client (least code, precomputed key)",
    reference: "the guides' hand-written cache",
    peer: "other libraries",
  };
  for (const role of Object.keys(names) as Role[]) {
    out.push(rect(x, y - 10, 12, 12, { fill: COLOR[role], rx: 2 }));
    out.push(text(x + 18, y, names[role]));
    x += 36 + names[role].length * 6.2;
  }
  return y;
}

function targets(out: string[], y: number, list: TargetResult[]): number {
  out.push(
    heading(
      y,
      "Targets",
      "ratio of ops/s: dot = median of paired repetitions, whisker = their range, dashed = target",
    ),
  );
  const axisX = 720;
  const axisW = 300;
  // One scale for every target, so the thresholds (0.95×, 1.5×, 2×, 20×) line up and compare:
  // linear while every ratio is small, logarithmic once a first-tier hit (tens of ×) is on it.
  const highest = Math.max(0, ...list.map((t) => Math.max(t.ratio?.max ?? 0, t.threshold ?? 0)));
  const { at, ticks } = highest <= 4 ? linearAxis(highest) : logAxis(highest);
  const x = (r: number): number => axisX + at(r) * axisW;
  const ratioRows = list.filter((t) => t.ratio !== undefined).length;
  for (const tick of ticks) {
    out.push(text(x(tick), y, `${tick}×`, { class: "small", "text-anchor": "middle" }));
    out.push(line(x(tick), y + 6, x(tick), y + 6 + ratioRows * ROW, { stroke: "#f3f4f6" }));
  }
  for (const t of list) {
    y += ROW;
    const v = VERDICT[t.verdict];
    out.push(rect(LEFT, y - 13, 58, 18, { fill: v.fill, rx: 9 }));
    out.push(text(LEFT + 29, y, v.label, { fill: "#fff", "text-anchor": "middle", "font-weight": 650 }));
    out.push(text(LEFT + 70, y, `${t.target}${t.uncertain ? " (repetitions disagree)" : ""}`));
    const threshold = t.threshold;
    if (t.ratio === undefined || threshold === undefined) {
      out.push(text(axisX, y, t.measured.slice(0, 60), { class: "small" }));
      continue;
    }
    out.push(
      line(axisX, y - 4, axisX + axisW, y - 4, {
        stroke: "#e5e7eb",
        "stroke-width": 6,
        "stroke-linecap": "round",
      }),
    );
    out.push(
      line(x(threshold), y - 12, x(threshold), y + 4, { stroke: "#374151", "stroke-dasharray": "3 2" }),
    );
    out.push(line(x(t.ratio.min), y - 4, x(t.ratio.max), y - 4, { stroke: v.fill, "stroke-width": 2 }));
    out.push(element("circle", { cx: x(t.ratio.median), cy: y - 4, r: 5, fill: v.fill }));
    out.push(text(axisX + axisW + 12, y, formatRatio(t.ratio.median), { class: "num", "font-weight": 650 }));
  }
  return y;
}

/** Where a ratio sits on the targets' axis (0 to 1), and the ticks to draw. */
interface Axis {
  at(ratio: number): number;
  ticks: number[];
}

function linearAxis(highest: number): Axis {
  const top = Math.max(3, Math.ceil(highest));
  return {
    at: (r) => Math.min(r, top) / top,
    ticks: Array.from({ length: top + 1 }, (_, i) => i),
  };
}

function logAxis(highest: number): Axis {
  const low = 0.25;
  const steps = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
  const top = steps.find((s) => s >= highest) ?? highest;
  const span = Math.log(top / low);
  return {
    at: (r) => Math.log(Math.min(Math.max(r, low), top) / low) / span,
    ticks: steps.filter((s) => s <= top),
  };
}

function groupChart(out: string[], y: number, group: GroupResult): number {
  out.push(heading(y, group.title, `concurrency ${group.concurrency}`));
  const scale = Math.max(1, ...group.subjects.map((s) => s.opsPerSec.max));
  for (const s of group.subjects) {
    y += ROW;
    if (!rowLabel(out, y, s)) continue;
    const w = (v: number): number => (v / scale) * BAR_MAX;
    out.push(rect(BAR_X, y - 13, w(s.opsPerSec.median), 17, { fill: COLOR[s.role], rx: 2 }));
    out.push(
      line(BAR_X + w(s.opsPerSec.min), y - 4, BAR_X + w(s.opsPerSec.max), y - 4, { stroke: "#111827" }),
    );
    out.push(text(VALUE_X, y, `${formatRate(s.opsPerSec.median)}/s`, { class: "num", "font-weight": 650 }));
    const detail = `±${formatPercent(s.opsPerSec.rme, 0)}${s.noisy ? " noisy" : ""} · p50 ${formatMicros(s.p50Us)} · p99 ${formatMicros(s.p99Us)}${extra(s)}`;
    out.push(text(DETAIL_X, y, detail, { class: "small num", fill: s.noisy ? "#b45309" : undefined }));
    const ratios = ratioLine(group, s);
    if (ratios !== "") {
      y += 16;
      out.push(text(BAR_X, y, ratios, { class: "small num", fill: COLOR.ours }));
    }
  }
  for (const part of wrap(group.note, 165)) {
    y += 17;
    out.push(text(LEFT, y, part, { class: "small" }));
  }
  return y;
}

/** Redis round trips per call, and the share of calls saved where some reached the tool. */
function extra(s: SubjectResult): string {
  const trips = s.redis === undefined ? "" : ` · ${s.redis.roundTrips.toFixed(2)} trips`;
  // On the hit path nothing reaches the tool: "100% saved" on every line would only be noise.
  const saved =
    s.upstreamCalls === undefined || s.calls === 0 || s.upstreamCalls === 0
      ? ""
      : ` · ${formatPercent(1 - s.upstreamCalls / s.calls, 0)} saved`;
  return trips + saved;
}

function ratioLine(group: GroupResult, s: SubjectResult): string {
  const names = new Map(group.subjects.map((x) => [x.id, shortName(x)]));
  return group.ratios
    .filter((r) => r.subject === s.id)
    .map((r) => `${formatRatio(r.ratio.median)} ${names.get(r.against) ?? r.against}`)
    .join("   ·   ");
}

function stampedeChart(out: string[], y: number, lines: StampedeResult[], calls: number): number {
  out.push(
    heading(
      y,
      `Stampede: ${calls} concurrent calls on one cold key`,
      "calls that reached the tool, most in any round (log scale)",
    ),
  );
  const w = (n: number): number => Math.max(3, (Math.log10(Math.max(1, n)) / Math.log10(calls)) * BAR_MAX);
  for (const s of lines) {
    y += ROW;
    if (!rowLabel(out, y, s)) continue;
    out.push(rect(BAR_X, y - 13, w(s.maxUpstreamCalls), 17, { fill: COLOR[s.role], rx: 2 }));
    const n = s.maxUpstreamCalls;
    out.push(text(VALUE_X, y, `${n} ${n === 1 ? "call" : "calls"}`, { class: "num", "font-weight": 650 }));
    const slowest = Math.max(...s.rounds.map((r) => r.ms));
    out.push(text(DETAIL_X, y, `slowest round ${formatMicros(slowest * 1000)}`, { class: "small" }));
  }
  return y;
}
