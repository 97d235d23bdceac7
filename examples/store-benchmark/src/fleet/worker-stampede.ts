import { setTimeout as sleep } from "node:timers/promises";
import type { Store } from "@mcp-persist/cache-core";
import type { Calls } from "../calls";
import { guideKey, TOOL, type ToolArgs, toolResult } from "../fixtures";
import type { Subject } from "../plan";
import type { RedisClients } from "../redis-clients";
import { asideLine, nodeRedisKv, oursLine } from "../workloads/cache-lines";
import { untilListening } from "../workloads/l1-probe";
import { type FleetStore, type FromWorker, monotonicMs, type StampedeLine, type ToWorker } from "./protocol";

/** The arguments every line's stampede is about; each round adds its own, so its key is cold. */
const BASE_ARGS: ToolArgs = { query: "fleet stampede", limit: 10, filters: { lang: "en" } };

/**
 * This process's side of a fleet stampede round: `calls` concurrent calls on one cold key, fired
 * at the time the parent set for every process, counting the calls that reach the tool here.
 */
export class StampedeRunner {
  readonly #lines = new Map<string, { subject: Subject; fleetWaits: () => number }>();
  readonly #expected: unknown;
  readonly #wanted: string;
  #round = 0;
  #upstreamMs = 50;

  constructor(
    readonly stores: Map<FleetStore, () => Store>,
    readonly clients: RedisClients,
    payloadBytes: number,
  ) {
    this.#expected = toolResult(0, payloadBytes);
    this.#wanted = JSON.stringify(this.#expected);
  }

  async round(message: Extract<ToWorker, { type: "stampede" }>): Promise<FromWorker> {
    this.#round = message.round;
    this.#upstreamMs = message.upstreamMs;
    const { subject, fleetWaits } = await this.#line(message.line);
    const before = subject.upstreamCalls?.() ?? 0;
    const waitsBefore = fleetWaits();
    await sleep(Math.max(0, message.startAt - monotonicMs()));
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: message.calls }, (_, i) => subject.op(i, i)));
    const ms = performance.now() - started;
    return {
      type: "stampede-done",
      upstream: (subject.upstreamCalls?.() ?? 0) - before,
      wrong: answers.filter((a) => JSON.stringify(a) !== this.#wanted).length,
      ms,
      fleetWaits: fleetWaits() - waitsBefore,
    };
  }

  async #line(spec: StampedeLine): Promise<{ subject: Subject; fleetWaits: () => number }> {
    let line = this.#lines.get(spec.id);
    if (line !== undefined) return line;
    const calls: Calls = {
      args: () => ({ ...BASE_ARGS, round: this.#round }),
      key: () => `${guideKey(TOOL, BASE_ARGS)}:${this.#round}`,
      result: () => sleep(this.#upstreamMs, this.#expected),
      fill: [],
      start: 0,
    };
    let waits = 0;
    if (spec.kind === "guides") {
      const subject = asideLine(nodeRedisKv(this.clients.nodeRedis), calls, {
        id: spec.id,
        label: "guides' hand-written (node-redis)",
        role: "reference",
        library: "deepSortKeys + SHA-256 + node-redis GET/SET",
        onRedis: true,
        prefix: `${spec.namespace}:`,
        ttlMs: 60_000,
      });
      line = { subject, fleetWaits: () => 0 };
    } else {
      const make = this.stores.get(spec.store);
      if (make === undefined) throw new Error(`store-${spec.store} is not open in this worker`);
      const store = make();
      const subject = oursLine(spec.id, store, spec.store, calls, {
        namespace: spec.namespace,
        ttlMs: 60_000,
        cacheOptions: {
          singleFlight: spec.kind,
          // A flight that took another process's value: the sign that fleet single-flight ran.
          onEvent: (event) => {
            if (event.type === "coalesced" && (event as { scope?: string }).scope === "fleet") waits++;
          },
        },
      });
      // Fleet waiters are woken through the channel (polling is only the backstop): have it up.
      await untilListening(store, spec.namespace);
      line = { subject, fleetWaits: () => waits };
    }
    this.#lines.set(spec.id, line);
    return line;
  }
}
