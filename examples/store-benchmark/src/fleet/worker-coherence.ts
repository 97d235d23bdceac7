import { setTimeout as sleep, setImmediate as yieldToLoop } from "node:timers/promises";
import { type Cache, createCache, type Store } from "@mcp-persist/cache-core";
import type { RedisClients } from "../redis-clients";
import { l1Hits, untilListening } from "../workloads/l1-probe";
import {
  type CoherenceLine,
  type FleetStore,
  type FromWorker,
  type Invalidation,
  monotonicMs,
} from "./protocol";

/** The tool whose one entry every process reads; `invalidateTool` targets it. */
const TOOL = "coherence_probe";
const KEY = { tool: TOOL, args: { q: "the one entry" } };
/** Pause before each invalidation, drawn in this range: every reader's first tier holds the value by then. */
const GAP_MS = [20, 60] as const;
/**
 * A reader's pause between reads, in ms, with its thread asleep (a server between requests).
 * Readers that spun instead would keep every core of a small machine busy, and the windows would
 * measure the scheduler (when Redis and the subscriber get a core), not the coherence channel.
 */
const READ_EVERY_MS = 0.1;
const pause = new Int32Array(new SharedArrayBuffer(4));

interface Reading {
  stop: boolean;
  done: Promise<void>;
  reads: number;
  cache: Cache;
  lastStart: Map<number, number>;
  error?: unknown;
}

/**
 * This process's part in the coherence workload: a reader (reads the entry in a loop, through
 * its first tier, noting when it last saw each version) or the writer (moves the version on in
 * Redis, then deletes or invalidates the entry, noting when each call was made and returned).
 */
export class CoherenceRole {
  #reading: Reading | undefined;

  constructor(
    readonly stores: Map<FleetStore, () => Store>,
    readonly clients: RedisClients,
  ) {}

  /** A cache with its first tier, once its coherence channel is in place (else it would miss messages). */
  async #cache(line: CoherenceLine): Promise<Cache> {
    const make = this.stores.get(line.store);
    if (make === undefined) throw new Error(`store-${line.store} is not open in this worker`);
    const store = make();
    const cache = createCache({ store, namespace: line.namespace, defaultTtlMs: 60_000, l1: true });
    await untilListening(store, line.namespace);
    return cache;
  }

  /** The tool function: the version Redis holds now. */
  #fn(line: CoherenceLine): () => Promise<{ version: number }> {
    return async () => ({ version: Number((await this.clients.admin.get(line.truthKey)) ?? 0) });
  }

  async startReading(line: CoherenceLine, warm: () => void): Promise<void> {
    const cache = await this.#cache(line);
    const fn = this.#fn(line);
    const reading: Reading = { stop: false, done: Promise.resolve(), reads: 0, cache, lastStart: new Map() };
    this.#reading = reading;
    reading.done = (async () => {
      try {
        while (!reading.stop) {
          const start = monotonicMs();
          const { version } = await cache.wrap(KEY, fn);
          reading.reads++;
          if ((reading.lastStart.get(version) ?? Number.NEGATIVE_INFINITY) < start) {
            reading.lastStart.set(version, start);
          }
          if (reading.reads === 2) warm();
          Atomics.wait(pause, 0, 0, READ_EVERY_MS);
          // Then the event loop turns, as between two requests: coherence messages get in.
          await yieldToLoop();
        }
      } catch (error) {
        reading.error = error;
        if (reading.reads < 2) warm();
      }
    })();
  }

  async stopReading(): Promise<FromWorker> {
    const reading = this.#reading;
    if (reading === undefined) throw new Error("not reading");
    reading.stop = true;
    await reading.done;
    this.#reading = undefined;
    if (reading.error !== undefined) throw reading.error;
    return {
      type: "read-done",
      reads: reading.reads,
      l1Hits: l1Hits(reading.cache) ?? 0,
      lastStart: [...reading.lastStart],
    };
  }

  async write(line: CoherenceLine, rounds: number, settleMs: number): Promise<FromWorker> {
    const cache = await this.#cache(line);
    const invalidations: Invalidation[] = [];
    for (let version = 1; version <= rounds; version++) {
      await sleep(GAP_MS[0] + Math.random() * (GAP_MS[1] - GAP_MS[0]));
      await this.clients.admin.set(line.truthKey, String(version), "PX", 600_000);
      const calledAt = monotonicMs();
      if (line.how === "delete") await cache.delete(KEY);
      else await cache.invalidateTool(TOOL);
      invalidations.push({ version, calledAt, returnedAt: monotonicMs() });
    }
    // Readers go on past the last invalidation, so a late one is seen too.
    await sleep(settleMs);
    return { type: "written", invalidations };
  }
}
