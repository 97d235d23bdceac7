import type { BenchContext } from "../context";
import type { Progress } from "../progress";
import { messageOf, type Worker } from "./pool";
import type { CoherenceLine, FleetStore, Invalidation } from "./protocol";

/** Readers go on this long after the last invalidation, so a late stale read is seen too. */
const SETTLE_MS = 300;

/** A distribution of windows, in ms. */
export interface Distribution {
  p50: number;
  p99: number;
  max: number;
}

export interface CoherenceResult {
  id: string;
  label: string;
  role: "ours";
  library: string;
  store: FleetStore;
  how: CoherenceLine["how"];
  readers: number;
  invalidations: number;
  /**
   * One per invalidation and reader: from the moment the writer's call returned to the start of
   * the last read in that reader that still returned the old value (0 when none started after
   * it returned), in ms. The bound a user can rely on.
   */
  windowsMs: number[];
  window: Distribution;
  /** The same, counted from the moment the writer's call was made (includes its own round trip). */
  fromCall: Distribution;
  /** Windows above 0: a reader served the old value after the invalidation had returned. */
  staleAfterReturn: number;
  /** Readers that had still not seen the last version when they stopped (should be none). */
  unconverged: number;
  reads: number;
  /** Share of the readers' calls answered by their first tier. */
  l1Share: number;
  error?: string;
}

/**
 * One writer process and N-1 readers on one entry: the readers read it in a loop through their
 * first tier; the writer moves the value on (in Redis, where the tool function reads it) and then
 * deletes the entry or invalidates its tool. Each reader notes when it last saw each version;
 * the gap to the invalidation's return is the window in which a process still served the old one.
 */
export async function runCoherence(
  ctx: BenchContext,
  workers: Worker[],
  stores: FleetStore[],
  progress: Progress,
): Promise<CoherenceResult[]> {
  const [writer, ...readers] = workers as [Worker, ...Worker[]];
  const rounds = ctx.options.coherenceRounds;
  progress.section(
    `Coherence: 1 writer, ${readers.length} reader process${readers.length === 1 ? "" : "es"}, ${rounds} invalidations per line`,
  );
  const admin = ctx.redis?.clients.admin;
  if (admin === undefined) throw new Error("coherence needs Redis");
  const results: CoherenceResult[] = [];
  for (const store of stores) {
    for (const how of ["delete", "invalidateTool"] as const) {
      const id = `coherence/${store}/${how}`;
      const label = `${how === "delete" ? "cache.delete" : "cache.invalidateTool"} · store-${store}`;
      progress.step(label, "coherence", 0);
      const line: CoherenceLine = {
        id,
        store,
        how,
        namespace: `${ctx.runId}-coherence-${store}-${how}`,
        truthKey: `${ctx.runId}-coherence-${store}-${how}:truth`,
      };
      const meta = {
        id,
        label,
        role: "ours" as const,
        library: `@mcp-persist/cache-core (l1) + @mcp-persist/store-${store}`,
        store,
        how,
        readers: readers.length,
        invalidations: rounds,
      };
      try {
        await admin.set(line.truthKey, "0", "PX", 600_000);
        for (const r of readers) r.send({ type: "read", line });
        await Promise.all(readers.map((r) => r.next("reading")));
        writer.send({ type: "write", line, rounds, settleMs: SETTLE_MS });
        // Each round pauses up to 60 ms: a long run gets the time it needs.
        const written = await writer.next("written", 60_000 + rounds * 100);
        for (const r of readers) r.send({ type: "stop-reading" });
        const read = await Promise.all(readers.map((r) => r.next("read-done")));
        results.push({ ...meta, ...windows(written.invalidations, read) });
      } catch (error) {
        // A reader may still be reading: stop it, and drop whatever it answers.
        for (const r of readers) {
          try {
            r.send({ type: "stop-reading" });
            await r.next("read-done");
          } catch {
            // It failed too; its error is the line's.
          }
        }
        results.push({ ...meta, ...windows([], []), error: messageOf(error) });
      }
    }
  }
  return results;
}

type Read = { reads: number; l1Hits: number; lastStart: [number, number][] };

function windows(
  invalidations: Invalidation[],
  read: Read[],
): Pick<
  CoherenceResult,
  "windowsMs" | "window" | "fromCall" | "staleAfterReturn" | "unconverged" | "reads" | "l1Share"
> {
  const fromReturn: number[] = [];
  const fromCall: number[] = [];
  const last = invalidations.at(-1)?.version ?? 0;
  let unconverged = 0;
  for (const reader of read) {
    const seen = new Map(reader.lastStart);
    if (Math.max(...seen.keys()) < last) unconverged++;
    for (const inv of invalidations) {
      const stale = seen.get(inv.version - 1);
      fromReturn.push(stale === undefined ? 0 : Math.max(0, stale - inv.returnedAt));
      fromCall.push(stale === undefined ? 0 : Math.max(0, stale - inv.calledAt));
    }
  }
  const reads = read.reduce((sum, r) => sum + r.reads, 0);
  return {
    windowsMs: fromReturn,
    window: distribution(fromReturn),
    fromCall: distribution(fromCall),
    staleAfterReturn: fromReturn.filter((w) => w > 0).length,
    unconverged,
    reads,
    l1Share: reads === 0 ? 0 : read.reduce((sum, r) => sum + r.l1Hits, 0) / reads,
  };
}

/** Nearest-rank percentiles: every figure is a window that was measured. */
function distribution(values: number[]): Distribution {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1] as number };
}
