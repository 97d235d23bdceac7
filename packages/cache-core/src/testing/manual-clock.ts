import type { Clock } from "../clock";

/** A {@link Clock} that moves only when told to: TTL and stale tests without sleeping. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/**
 * Creates a manual clock. It starts at a realistic epoch time (not 0: lru-cache treats a start
 * time of 0 as "no TTL").
 * @param start epoch ms @default 1_700_000_000_000
 */
export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`[@mcp-persist/cache-core] a clock only moves forward, got ${ms}`);
      now += ms;
    },
  };
}
