import { useRedis } from "@mcp-persist/test-kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
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
