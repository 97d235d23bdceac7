import { createManualClock } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { useRedis } from "@mcp-persist/test-kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/index";
import { storeKinds } from "./support/stores";
import { Admissions, clockedLimiter, runsOn, traffic } from "./support/traffic";

const redis = useRedis();

describe.each(storeKinds(redis))("sliding log on $name, with a controlled clock", (kind) => {
  it("units leave the window exactly windowMs after they were admitted", async () => {
    const { limiter, clock } = clockedLimiter(kind, "sliding-log", { limit: 3, windowMs: 1000 });
    const start = clock.now();
    for (const offset of [0, 300, 600]) {
      clock.advance(offset - (clock.now() - start));
      expect(await limiter.check("k")).toMatchObject({ allowed: true, resetAtMs: clock.now() + 1000 });
    }
    clock.advance(300); // t = 900: full
    expect(await limiter.check("k")).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 100 });
    clock.advance(99); // t = 999: the unit of t = 0 is still in (t - 1000, t]
    expect(await limiter.check("k")).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.advance(1); // t = 1000: it has left
    expect(await limiter.check("k")).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.check("k", { cost: 2 })).toMatchObject({ allowed: false, retryAfterMs: 600 });
    clock.advance(600); // t = 1600: the units of 300 and 600 have left
    expect(await limiter.check("k", { cost: 2 })).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("is exact: allows a call if and only if the window has room for its cost", async () => {
    await fc.assert(
      fc.asyncProperty(traffic, async ({ limit, windowMs, calls }) => {
        const { limiter, clock } = clockedLimiter(kind, "sliding-log", { limit, windowMs });
        const admitted = new Admissions();
        for (const { advanceMs, cost } of calls) {
          clock.advance(advanceMs);
          const now = clock.now();
          const room = limit - admitted.between(now - windowMs, now);
          const result = await limiter.check("k", { cost });
          expect(result.allowed).toBe(room >= cost);
          expect(result.remaining).toBe(result.allowed ? room - cost : room);
          if (result.allowed) admitted.add(now, cost);
        }
      }),
      { numRuns: runsOn(kind) },
    );
  });
});

describe("sliding log in process: a long log", () => {
  it("drops the units that left the window in bulk, never counting them", async () => {
    const clock = createManualClock();
    const store = lruStore({ clock });
    const limiter = createRateLimiter({
      store,
      clock,
      algorithm: "sliding-log",
      limit: 1000,
      windowMs: 1000,
    });
    // One unit a millisecond for five windows: from the second on, a unit leaves at every check.
    const lengths: number[] = [];
    for (let t = 0; t < 5000; t++) {
      const inWindow = Math.min(t + 1, 1000);
      expect(await limiter.check("k")).toMatchObject({ allowed: true, remaining: 1000 - inWindow });
      const [key] = store.state.keys();
      lengths.push((store.state.get(key as string) as number[]).length);
      clock.advance(1);
    }
    const steady = lengths.slice(1000);
    // The stored array holds the live units and some that left: dropped together once they are a
    // sixteenth of it (a splice at every check moved the whole log each time: O(limit) a check).
    expect(Math.min(...steady)).toBe(1000);
    expect(Math.max(...steady)).toBeGreaterThan(1000);
    expect(Math.max(...steady)).toBeLessThanOrEqual(Math.ceil((1000 * 16) / 15));
    // About one drop per 67 checks: 59 in 4,000.
    const drops = steady.filter((length, i) => i > 0 && length < (steady[i - 1] as number)).length;
    expect(drops).toBeGreaterThanOrEqual(55);
    expect(drops).toBeLessThanOrEqual(62);
  });
});
