import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { Cleanup } from "./cleanup";
import { type BenchOptions, HELP, parseOptions, UsageError } from "./cli-options";
import { type BenchContext, callData } from "./context";
import { runFleet } from "./fleet/run-fleet";
import { describeMachine } from "./machine";
import type { Unavailable } from "./plan";
import { planGroups, plannedMs } from "./plan-groups";
import { createProgress, type Progress } from "./progress";
import { setUpRedis } from "./redis-setup";
import { renderChart } from "./report/chart-svg";
import { type BenchReport, toJson, writeOutput } from "./report/json";
import { renderTerminal } from "./report/terminal";
import { type GroupResult, runGroup } from "./run-group";
import { loadStores } from "./stores";
import { evaluateTargets } from "./targets";
import { runEventStore } from "./workloads/event-store";
import { runStampede } from "./workloads/stampede";

/** Exit codes: 0 all ran (missed targets are findings), 1 a line failed or answered wrong, 2 bad options. */
async function main(): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    const parseError = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!(error instanceof UsageError || parseError)) throw error;
    process.stderr.write(`${(error as Error).message}\nSee --help.\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const cleanup = new Cleanup();
  const progress: { current?: Progress } = {};
  cleanup.exitOnSignals(() => progress.current?.done());
  try {
    const report = await measureAll(options, cleanup, progress);
    process.stdout.write(`\n${renderTerminal(report)}\n\n`);
    const stamp = report.startedAt.replace(/[:.]/g, "-");
    const json = await writeOutput(options.outDir, stamp, "json", toJson(report));
    const svg = await writeOutput(options.outDir, stamp, "svg", renderChart(report));
    process.stdout.write(`Wrote ${json}\n  and ${svg} (also latest.json, latest.svg)\n`);
    const failed = report.groups.flatMap((g) => g.subjects).some((s) => s.error !== undefined);
    const wrong = [...(report.stampede ?? []), ...(report.fleetStampede ?? [])].some(
      (s) => s.error !== undefined || s.rounds.some((r) => r.wrong > 0),
    );
    const brokenCoherence = (report.coherence ?? []).some((c) => c.error !== undefined);
    const { writes = [], replays = [], memory = [] } = report.eventStore ?? {};
    const brokenEvents = [...writes, ...replays, ...memory].some((l) => l.error !== undefined);
    return failed || wrong || brokenCoherence || brokenEvents ? 1 : 0;
  } finally {
    progress.current?.done();
    await cleanup.run();
  }
}

async function measureAll(
  options: BenchOptions,
  cleanup: Cleanup,
  progress: { current?: Progress },
): Promise<BenchReport> {
  const started = new Date();
  const machine = describeMachine();
  // Every key the run writes starts with this: on a lent Redis, they are found and deleted by it.
  const runId = `bench-${randomBytes(3).toString("hex")}`;
  const notices: string[] = options.peers ? [] : ["--no-peers: the other libraries were not measured."];
  const unavailable: Unavailable[] = [];
  const redis = options.stores.some((s) => s !== "lru")
    ? await setUpRedis(options.redisUrl, runId, cleanup, { notices, unavailable })
    : undefined;
  machine.redisServer = redis?.clients.serverVersion;

  const ctx: BenchContext = {
    options,
    runId,
    data: callData(options.payloadBytes),
    redis: redis && { url: redis.target.url, clients: redis.clients },
    stores: await loadStores(options.stores, redis?.clients, unavailable, (close) => cleanup.defer(close)),
    defer: (close) => cleanup.defer(close),
  };
  const groups = await planGroups(ctx, unavailable);
  const shown = createProgress(plannedMs(groups, options));
  progress.current = shown;
  const results: GroupResult[] = [];
  for (const group of groups) results.push(await runGroup(group, options, shown, redis?.clients.admin));
  const stampede = options.workloads.includes("stampede") ? await runStampede(ctx, shown) : undefined;
  const eventStore = options.workloads.includes("event-store")
    ? await runEventStore(ctx, unavailable, shown)
    : undefined;
  const fleet = await runFleet(ctx, unavailable, shown);
  shown.done();
  machine.loadAverage.end = loadavg()[0] ?? 0;

  return {
    schema: "mcp-persist/store-benchmark@1",
    startedAt: started.toISOString(),
    wallSeconds: (Date.now() - started.getTime()) / 1000,
    command: ["pnpm bench", ...process.argv.slice(2)].join(" "),
    options,
    machine,
    redis: redis
      ? { source: redis.target.source, url: redis.target.displayUrl, version: redis.clients.serverVersion }
      : null,
    notices,
    unavailable,
    groups: results,
    stampede,
    ...fleet,
    ...(eventStore === undefined ? {} : { eventStore }),
    targets: evaluateTargets(results, stampede, fleet),
  };
}

process.exitCode = await main();
