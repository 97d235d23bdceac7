import { useRedis } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { algorithms } from "../src/algorithms";
import { storeKinds } from "./support/stores";
import { Admissions, runsOn, sharedKeyLimiters, traffic } from "./support/traffic";

const redis = useRedis();

const MINUTE = 60_000;

// A rolling deploy that lowers a limit from 20 to 2 a minute: for a while, old and new processes
// check the same keys under different limits. Each check is held to its own limit, counting every
// unit admitted under either: a key never admits more than the larger limit in a window.
describe.each(storeKinds(redis))("one key under two limits on $name", (kind) => {
  it.each(Object.values(algorithms).map((algorithm) => algorithm.name))(
    "%s: 12 calls at 20, 1 at 2, 30 at 20, all at one server time: 20 admitted, no more",
    async (algorithm) => {
      const { limiters, prefix } = sharedKeyLimiters(kind, algorithm, [
        { limit: 20, windowMs: MINUTE },
        { limit: 2, windowMs: MINUTE },
      ]);
      const [old, lowered] = limiters as [(typeof limiters)[0], (typeof limiters)[0]];
      const first: boolean[] = [];
      for (let i = 0; i < 12; i++) first.push((await old.check("k")).allowed);
      expect(first).toEqual(Array(12).fill(true));
      // 12 units are in the window: far over the new limit of 2.
      expect(await lowered.check("k")).toMatchObject({ allowed: false, remaining: 0, limit: 2 });
      const then: boolean[] = [];
      for (let i = 0; i < 30; i++) then.push((await old.check("k")).allowed);
      expect(then).toEqual([...Array(8).fill(true), ...Array(22).fill(false)]);
      expect(await lowered.check("k")).toMatchObject({ allowed: false, remaining: 0 });
      if (kind.redis && algorithm === "sliding-log") {
        // One sorted-set member per admitted unit: none was overwritten by a re-used name.
        expect(await redisCommand(redis().port, "ZCARD", `${prefix}:log:k`)).toBe("20");
      }
    },
  );

  it("sliding-log: exact against each check's own limit, counting what every limit admitted", async () => {
    const mixed = traffic.chain((t) =>
      fc.record({
        traffic: fc.constant(t),
        lower: fc.integer({ min: 1, max: t.limit }),
        which: fc.array(fc.boolean(), { minLength: t.calls.length, maxLength: t.calls.length }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(mixed, async ({ traffic: { limit, windowMs, calls }, lower, which }) => {
        const { limiters, clock } = sharedKeyLimiters(kind, "sliding-log", [
          { limit, windowMs },
          { limit: lower, windowMs },
        ]);
        const admitted = new Admissions();
        for (const [i, { advanceMs, cost }] of calls.entries()) {
          clock.advance(advanceMs);
          const now = clock.now();
          const own = which[i] ? lower : limit;
          const room = own - admitted.between(now - windowMs, now);
          const result = await (limiters[which[i] ? 1 : 0] as (typeof limiters)[0]).check("k", {
            cost: Math.min(cost, own),
          });
          expect(result.allowed).toBe(room >= Math.min(cost, own));
          expect(result.remaining).toBe(Math.max(0, result.allowed ? room - Math.min(cost, own) : room));
          if (result.allowed) admitted.add(now, Math.min(cost, own));
        }
        expect(admitted.maxInAnySpan(windowMs)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: runsOn(kind) },
    );
  });
});
