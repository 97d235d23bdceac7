import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BenchOptions } from "../cli-options";
import type { CoherenceResult } from "../fleet/coherence";
import type { FleetStampedeResult } from "../fleet/stampede";
import type { Machine } from "../machine";
import type { Unavailable } from "../plan";
import type { GroupResult } from "../run-group";
import type { TargetResult } from "../targets";
import type { EventStoreResult } from "../workloads/event-store";
import type { StampedeResult } from "../workloads/stampede";

/** Everything one run measured: what the JSON file holds and the table and chart are drawn from. */
export interface BenchReport {
  schema: "mcp-persist/store-benchmark@1";
  startedAt: string;
  wallSeconds: number;
  command: string;
  options: BenchOptions;
  machine: Machine;
  redis: { source: "REDIS_URL" | "started"; url: string; version: string } | null;
  notices: string[];
  unavailable: Unavailable[];
  groups: GroupResult[];
  stampede: StampedeResult[] | undefined;
  /** Several worker processes on one Redis: one cold key, every process at once. */
  fleetStampede?: FleetStampedeResult[];
  /** Invalidation-to-last-stale-read windows across processes. */
  coherence?: CoherenceResult[];
  /** The MCP event store: storeEvent and replay throughput, Redis memory per 1,000 events. */
  eventStore?: EventStoreResult;
  targets: TargetResult[];
}

/**
 * Writes `bench-<time>.<ext>` and copies it to `latest.<ext>`, so the newest result has a
 * stable path while older ones stay for comparison. Returns the timestamped path.
 */
export async function writeOutput(
  outDir: string,
  stamp: string,
  ext: string,
  content: string,
): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, `bench-${stamp}.${ext}`);
  await writeFile(path, content);
  await copyFile(path, join(outDir, `latest.${ext}`));
  return path;
}

export function toJson(report: BenchReport): string {
  return `${JSON.stringify(report, (_, value) => (Number.isNaN(value) ? null : value), 2)}\n`;
}
