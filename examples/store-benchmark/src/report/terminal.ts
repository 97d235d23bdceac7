import type { GroupResult, SubjectResult } from "../run-group";
import type { TargetResult } from "../targets";
import type { StampedeResult } from "../workloads/stampede";
import { eventStoreTables } from "./event-store-tables";
import { coherenceTable, fleetStampedeTable } from "./fleet-tables";
import { formatMicros, formatPercent, formatRate, formatRatio, ROLE_TAG } from "./format";
import type { BenchReport } from "./json";
import { renderColumns } from "./table";

/** The whole report as terminal text: setup, one table per group, stampede, what did not run, targets. */
export function renderTerminal(report: BenchReport): string {
  return [
    header(report),
    ...report.groups.map((g) => groupTable(g, report)),
    ...(report.stampede === undefined ? [] : [stampedeTable(report.stampede, report)]),
    ...(report.fleetStampede === undefined ? [] : [fleetStampedeTable(report.fleetStampede)]),
    ...(report.coherence === undefined ? [] : [coherenceTable(report.coherence)]),
    ...(report.eventStore === undefined
      ? []
      : [eventStoreTables(report.eventStore, report.options.noisyRme)]),
    ...(report.unavailable.length === 0
      ? []
      : [`Not measured\n${report.unavailable.map((u) => `  ${u.what}: ${u.reason}`).join("\n")}`]),
    targetsSection(report.targets, report),
  ].join("\n\n");
}

function header(report: BenchReport): string {
  const m = report.machine;
  const { options: o } = report;
  const load = `load average ${m.loadAverage.start.toFixed(1)} → ${m.loadAverage.end?.toFixed(1) ?? "?"}`;
  return [
    `mcp-persist store benchmark · ${report.startedAt} · ${report.wallSeconds.toFixed(0)} s`,
    `  machine  ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, ${load}`,
    `  redis    ${report.redis === null ? "none: only the in-process store ran" : `${report.redis.version} at ${report.redis.url} (${report.redis.source === "started" ? "started for this run" : "from REDIS_URL"})`}`,
    `  method   ${o.repetitions} repetitions × ${o.durationMs} ms per line, lines in turns, after ${o.warmupMs} ms warm-up` +
      `${o.latencyMs > 0 ? `, then ${o.repetitions} × ${o.latencyMs} ms one call at a time where lines run more at once` : ""}; ` +
      `payload ${o.payloadBytes} B; figures are medians, ± is the 95% relative error, ratios are paired per repetition`,
    "  columns  ÷ x: our ops/s over x's; CPU/call: this process's CPU time per call (process.cpuUsage); " +
      "p50/p99 @n: latency with n calls in flight (@1: one MCP tool call waiting on one call); " +
      "trips/call: commands the line's Redis client sent per call (MONITOR); saved: calls that never reached the tool",
    ...report.notices.map((n) => `  note     ${n}`),
  ].join("\n");
}

function groupTable(group: GroupResult, report: BenchReport): string {
  const byId = new Map(group.subjects.map((s) => [s.id, s]));
  const hasRaw = group.subjects.some((s) => s.baseline !== undefined);
  const hasCmds = group.subjects.some((s) => s.redis !== undefined);
  const hasSaved = group.subjects.some((s) => s.upstreamCalls !== undefined);
  const versus = group.compareWith.map((id) => byId.get(id)).filter((s) => s !== undefined);
  // Beside the throughput view, the latency view: one call at a time. A group at concurrency 1
  // is both at once; another gets two more columns from its pass at concurrency 1.
  const apart = group.concurrency !== 1;
  const hasLatency = apart && group.subjects.some((s) => s.latency !== undefined);
  const at = apart ? ` @${group.concurrency}` : "";
  const head = [
    "line",
    "who",
    "ops/s",
    "±",
    "CPU/call",
    `p50${at}`,
    `p99${at}`,
    ...(hasLatency ? ["p50 @1", "p99 @1"] : []),
    ...(hasCmds ? ["trips/call"] : []),
    ...(hasSaved ? ["saved"] : []),
    ...(hasRaw ? ["÷ raw"] : []),
    ...versus.map((s) => `÷ ${shortName(s)}`),
  ];
  const rows = group.subjects.map((s) => {
    if (s.error !== undefined) return [s.label, ROLE_TAG[s.role], `failed: ${s.error}`];
    const ratio = (against: string | undefined): string => {
      const found = group.ratios.find((r) => r.subject === s.id && r.against === against);
      return found === undefined ? "" : formatRatio(found.ratio.median);
    };
    return [
      s.label,
      ROLE_TAG[s.role],
      formatRate(s.opsPerSec.median),
      `${formatPercent(s.opsPerSec.rme)}${s.noisy ? " !" : ""}`,
      formatMicros(s.cpuUsPerCall.median),
      formatMicros(s.p50Us),
      formatMicros(s.p99Us),
      ...(hasLatency
        ? s.latency === undefined
          ? ["", ""]
          : [formatMicros(s.latency.p50Us), formatMicros(s.latency.p99Us)]
        : []),
      ...(hasCmds ? [s.redis === undefined ? "" : s.redis.roundTrips.toFixed(2)] : []),
      ...(hasSaved ? [saved(s)] : []),
      ...(hasRaw ? [ratio(s.baseline)] : []),
      ...versus.map((v) => ratio(v.id)),
    ];
  });
  const noisy = group.subjects.some((s) => s.noisy)
    ? `\n  ! relative error above ${formatPercent(report.options.noisyRme, 0)}: noisy, read its ratios with care`
    : "";
  const title = !apart
    ? `${group.title} — concurrency 1: throughput and latency (p50, p99) of the same calls`
    : hasLatency
      ? `${group.title} — throughput at concurrency ${group.concurrency}; latency also one call at a time (@1)`
      : `${group.title} — concurrency ${group.concurrency}`;
  return `${title}\n${renderColumns(head, rows)}${noisy}\n  ${group.note}`;
}

/** Share of calls that never reached the tool. */
function saved(s: SubjectResult): string {
  if (s.upstreamCalls === undefined || s.calls === 0) return "";
  return formatPercent(1 - s.upstreamCalls / s.calls);
}

/** Column heading for a line compared against: "guides", "cache-manager", "BentoCache". */
export function shortName(s: { role: string; label: string }): string {
  if (s.role === "reference") return "guides";
  return s.label.split(" ")[0] ?? s.label;
}

function stampedeTable(lines: StampedeResult[], report: BenchReport): string {
  const rows = lines.map((line) => [
    line.label,
    ROLE_TAG[line.role],
    line.error ?? line.rounds.map((r) => r.upstreamCalls).join(", "),
    line.rounds.length === 0 ? "" : formatMicros(Math.max(...line.rounds.map((r) => r.ms)) * 1000),
    String(line.rounds.reduce((sum, r) => sum + r.wrong, 0)),
  ]);
  const head = ["line", "who", "upstream calls per round", "slowest round", "wrong answers"];
  return (
    `Stampede — ${report.options.stampedeCalls} concurrent calls on one cold key, the tool taking 50 ms\n` +
    renderColumns(head, rows)
  );
}

function targetsSection(targets: TargetResult[], report: BenchReport): string {
  const mark = { met: "✓ met", missed: "✗ missed", "not measured": "– not measured" } as const;
  const rows = targets.map((t) => [`${mark[t.verdict]}${t.uncertain ? " (?)" : ""}`, t.target, t.measured]);
  const width = Math.max(...rows.map((r) => (r[0] ?? "").length));
  const quick = report.options.quick ? "  (--quick run: too short to judge targets by)\n" : "";
  return (
    `Targets — ratios of ops/s: median of ${report.options.repetitions} paired repetitions (min–max), ` +
    `and the median ratio of CPU time per call (the other line's over ours)\n${quick}` +
    rows
      .map(([verdict, target, measured]) => `  ${(verdict ?? "").padEnd(width)}  ${target}: ${measured}`)
      .join("\n") +
    (targets.some((t) => t.uncertain)
      ? "\n  (?) the repetitions disagree: some fall on the other side of the threshold"
      : "")
  );
}
