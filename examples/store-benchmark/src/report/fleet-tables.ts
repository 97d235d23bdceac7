import type { CoherenceResult } from "../fleet/coherence";
import type { FleetStampedeResult } from "../fleet/stampede";
import { formatMicros, formatPercent, ROLE_TAG } from "./format";
import { renderColumns } from "./table";

export function fleetStampedeTable(lines: FleetStampedeResult[]): string {
  const first = lines[0];
  const rows = lines.map((line) => [
    line.label,
    ROLE_TAG[line.role],
    line.error ?? line.rounds.map((r) => r.upstreamCalls).join(", "),
    line.rounds.length === 0 ? "" : (line.rounds.at(-1)?.perProcess.join(" + ") ?? ""),
    line.rounds.length === 0 ? "" : formatMicros(Math.max(...line.rounds.map((r) => r.ms)) * 1000),
    String(line.rounds.reduce((sum, r) => sum + r.fleetWaits, 0)),
    String(line.rounds.reduce((sum, r) => sum + r.wrong, 0)),
  ]);
  const head = [
    "line",
    "who",
    "upstream calls per round (all processes)",
    "last round by process",
    "slowest round",
    "fleet waits",
    "wrong answers",
  ];
  const what =
    first === undefined
      ? ""
      : `${first.processes} processes × ${first.callsPerProcess} concurrent calls on one cold key, all at once, the tool taking 50 ms`;
  return (
    `Fleet stampede — ${what}\n${renderColumns(head, rows)}\n` +
    "  Fleet waits: flights (a process's concurrent calls, joined in process first) that took another " +
    'process\'s value instead of calling the tool: `coalesced` events with scope "fleet". ' +
    "Per-process single-flight makes one call per process; the guides' code one per call that reads " +
    "before another process's SET lands (so a little under processes × calls on a busy machine)."
  );
}

export function coherenceTable(lines: CoherenceResult[]): string {
  const ms = (v: number): string => (Number.isNaN(v) ? "" : v === 0 ? "0" : formatMicros(v * 1000));
  const rows = lines.map((line) =>
    line.error !== undefined
      ? [line.label, ROLE_TAG[line.role], `failed: ${line.error}`]
      : [
          line.label,
          ROLE_TAG[line.role],
          String(line.windowsMs.length),
          ms(line.window.p50),
          ms(line.window.p99),
          ms(line.window.max),
          ms(line.fromCall.max),
          String(line.staleAfterReturn),
          String(line.unconverged),
          formatPercent(line.l1Share),
        ],
  );
  const head = [
    "line",
    "who",
    "windows",
    "p50",
    "p99",
    "max",
    "max from call",
    "stale after",
    "unconverged",
    "L1 share",
  ];
  const first = lines[0];
  const who =
    first === undefined ? "" : `1 writer, ${first.readers} reader process${first.readers === 1 ? "" : "es"}`;
  return (
    `Coherence — ${who}: the window in which another process still served the old value\n` +
    `${renderColumns(head, rows)}\n` +
    "  Window: from the writer's delete / invalidateTool returning to the start of the last read in a reader " +
    "that still returned the old value (0 if none), one per (reader, invalidation); readers read through " +
    "their first tier every ~0.1 ms (asleep in between), the event loop turning between reads. Max from call: counted from when the " +
    "writer made the call. Stale after: windows above 0. Unconverged: readers that never saw the last value."
  );
}
