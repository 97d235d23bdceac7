import type { BenchContext } from "../context";
import type { Unavailable } from "../plan";
import type { Progress } from "../progress";
import { l1Unavailable } from "../workloads/l1-probe";
import { type CoherenceResult, runCoherence } from "./coherence";
import { messageOf, startWorkers, type Worker } from "./pool";
import type { FleetStore } from "./protocol";
import { type FleetStampedeResult, runFleetStampede } from "./stampede";

export interface FleetResults {
  fleetStampede?: FleetStampedeResult[];
  coherence?: CoherenceResult[];
}

/**
 * The workloads that need several processes on one Redis (fleet-stampede, coherence): starts
 * `--fleet-processes` workers once for both, runs them, closes the workers.
 */
export async function runFleet(
  ctx: BenchContext,
  unavailable: Unavailable[],
  progress: Progress,
): Promise<FleetResults> {
  const { workloads, fleetProcesses } = ctx.options;
  const wanted = (["fleet-stampede", "coherence"] as const).filter((w) => workloads.includes(w));
  if (wanted.length === 0) return {};
  const redis = ctx.redis;
  const stores = [...ctx.stores.keys()].filter((s): s is FleetStore => s !== "lru");
  if (redis === undefined || stores.length === 0) {
    for (const workload of wanted) {
      unavailable.push({
        workload,
        what: `${workload} (several processes on one Redis)`,
        reason: redis === undefined ? "there is no Redis" : "no Redis store was asked for or loads",
      });
    }
    return {};
  }
  const coherenceStores = wanted.includes("coherence") ? await coherent(ctx, stores, unavailable) : [];
  if (!wanted.includes("fleet-stampede") && coherenceStores.length === 0) return {};

  progress.section(`Starting ${fleetProcesses} worker processes`);
  let workers: Worker[];
  try {
    workers = await startWorkers(fleetProcesses, {
      url: redis.url,
      stores,
      payloadBytes: ctx.options.payloadBytes,
    });
  } catch (error) {
    for (const workload of wanted) {
      unavailable.push({
        workload,
        what: workload,
        reason: `the worker processes did not start: ${messageOf(error)}`,
      });
    }
    return {};
  }
  // On Ctrl-C too; closing twice is harmless.
  const close = () => Promise.all(workers.map((w) => w.close()));
  ctx.defer(close);
  try {
    return {
      ...(wanted.includes("fleet-stampede")
        ? { fleetStampede: await runFleetStampede(ctx, workers, stores, progress) }
        : {}),
      ...(coherenceStores.length > 0
        ? { coherence: await runCoherence(ctx, workers, coherenceStores, progress) }
        : {}),
    };
  } finally {
    await close();
  }
}

/**
 * The stores coherence can run on: those with a message channel (`store.bus`) whose caches
 * honour `l1` in this cache-core build. The others are listed as not measured.
 */
async function coherent(
  ctx: BenchContext,
  stores: FleetStore[],
  unavailable: Unavailable[],
): Promise<FleetStore[]> {
  const ok: FleetStore[] = [];
  for (const name of stores) {
    const make = ctx.stores.get(name);
    if (make === undefined) continue;
    const store = make();
    const reason =
      store.bus === undefined
        ? `not available yet: store-${name} has no bus (the coherence channel)`
        : await l1Unavailable(store, `${ctx.runId}-coherence-probe-${name}`);
    if (reason === undefined) ok.push(name);
    else unavailable.push({ workload: "coherence", what: `coherence on store-${name}`, reason });
  }
  return ok;
}
