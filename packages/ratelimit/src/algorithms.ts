import type { Script } from "@mcp-persist/cache-core";
import { gcraCheck, gcraRefund } from "./gcra.lua";
import type { CheckReply } from "./script-args";
import { slidingLogCheck, slidingLogRefund } from "./sliding-log.lua";
import { slidingWindowCheck, slidingWindowRefund } from "./sliding-window.lua";

/**
 * - `sliding-log`: exact; memory grows with the limit (one entry per unit in the window; in process,
 *   up to a fifteenth more until those that left are dropped in bulk).
 * - `sliding-window`: two counters, O(1); approximate within documented bounds.
 * - `gcra`: one timestamp, O(1); smooth, bursts up to the limit.
 */
export type AlgorithmName = "sliding-log" | "sliding-window" | "gcra";

/** The scripts behind one algorithm. */
export interface Algorithm {
  readonly name: AlgorithmName;
  /** Key segment naming the algorithm, so that switching algorithms never reads another's data. */
  readonly keyTag: string;
  /** Checks and charges one or more limits atomically. */
  readonly check: Script<CheckReply>;
  /** Takes a charge back (only needed when a check spans Cluster slots). */
  readonly refund: Script<number>;
}

/** Every algorithm, by name. */
export const algorithms: Readonly<Record<AlgorithmName, Algorithm>> = Object.freeze({
  "sliding-log": { name: "sliding-log", keyTag: "log", check: slidingLogCheck, refund: slidingLogRefund },
  "sliding-window": {
    name: "sliding-window",
    keyTag: "window",
    check: slidingWindowCheck,
    refund: slidingWindowRefund,
  },
  gcra: { name: "gcra", keyTag: "gcra", check: gcraCheck, refund: gcraRefund },
});
