import { createLocalContext, type LocalContext, memoryKeyspace } from "@mcp-persist/cache-core/kit";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { ReadLimit } from "../src/check-script";
import { checkOneTat, readTat } from "../src/gcra-bucket";
import type { LimitRule } from "../src/limits";
import { checkOneCounter, packInteger, readCounter, SPAN } from "../src/sliding-window-counter";

// A check of one limit goes through the sliding window's one-pass twin (`checkOneCounter`); a
// check of several through its two passes (`readCounter` and the state it keeps). The parity tests
// hold each against the Lua; this holds the two drivers against each other on the same counters,
// including states the parity tests' traffic rarely reaches (counts near the limit, every slot
// the counter may have been written in, costs above what is left).

const KEY = "k";

/** A context over a fresh keyspace at `now`, the counter under KEY written as `packed` (0: none). */
function contextWith(packed: number, now: number, ttlMs: number): LocalContext {
  return freshContext(now, (ctx) => {
    if (packed > 0) ctx.set(KEY, String(packed), ttlMs);
  });
}

/** A fresh context at `now`, set up by `write`. */
function freshContext(now: number, write: (ctx: LocalContext) => void): LocalContext {
  const clock = createManualClock(now);
  const ctx = createLocalContext(memoryKeyspace(clock), clock);
  write(ctx);
  return ctx;
}

/** `read`'s two passes on one limit, as `checkBody` runs them. */
function passes(read: ReadLimit, ctx: LocalContext, rule: LimitRule, cost: number, now: number): number[] {
  const state = read(ctx, KEY, rule, cost, now, 0);
  const reply = [state.fits ? 1 : 0, now, 0, 0, 0];
  if (state.fits) state.charge();
  state.report(reply, 2);
  return reply;
}

it("one pass replies and writes what the two passes do, for any counter and cost", () => {
  const cases = fc
    .record({
      windowMs: fc.integer({ min: 1, max: 3_600_000 }),
      limit: fc.integer({ min: 1, max: 1_000 }),
      // The slot the counter was written in, relative to now's: this one, the one before, older.
      age: fc.constantFrom(0, 1, 2, 3),
      into: fc.double({ min: 0, max: 1, noNaN: true }),
      previous: fc.double({ min: 0, max: 1.2, noNaN: true }),
      current: fc.double({ min: 0, max: 1.2, noNaN: true }),
      cost: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ windowMs, limit, age, into, previous, current, cost }) => {
      const now = 1_700_000_000_000 + Math.floor(into * (windowMs - 1));
      const index = Math.floor(now / windowMs) - age;
      const counts = [previous, current].map((share) => Math.min(SPAN - 1, Math.floor(share * limit)));
      return {
        windowMs,
        limit,
        now,
        packed: packInteger(index % 4, counts[0] as number, counts[1] as number),
        cost: 1 + Math.floor(cost * (limit - 1)),
      };
    });
  fc.assert(
    fc.property(cases, ({ windowMs, limit, now, packed, cost }) => {
      const one = contextWith(packed, now, 2 * windowMs);
      const two = contextWith(packed, now, 2 * windowMs);
      expect(checkOneCounter(one, KEY, { limit, windowMs }, cost, now)).toEqual(
        passes(readCounter, two, { limit, windowMs }, cost, now),
      );
      expect(one.get(KEY)).toBe(two.get(KEY));
      expect(one.pttl(KEY)).toBe(two.pttl(KEY));
    }),
    { numRuns: 2_000 },
  );
});

it("one pass charges an allowed check and leaves a denied one's counter as it was", () => {
  const windowMs = 60_000;
  const now = 1_700_000_010_000;
  const ctx = contextWith(0, now, windowMs);
  const limit = { limit: 2, windowMs };
  expect(checkOneCounter(ctx, KEY, limit, 2, now)[0]).toBe(1);
  const charged = ctx.get(KEY);
  const denied = checkOneCounter(ctx, KEY, limit, 1, now);
  expect(denied[0]).toBe(0);
  expect(denied[3]).toBeGreaterThan(0); // retry after
  expect(ctx.get(KEY)).toBe(charged);
});

// GCRA has a one-pass twin too (`checkOneTat`): held to its two passes (`readTat`) the same way,
// on TATs of every shape around a limit.

const ruleAndCost = fc
  .record({
    windowMs: fc.integer({ min: 1, max: 3_600_000 }),
    limit: fc.integer({ min: 1, max: 200 }),
    cost: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ windowMs, limit, cost }) => ({
    rule: { limit, windowMs },
    cost: 1 + Math.floor(cost * (limit - 1)),
  }));

it("GCRA's one pass replies and writes what its two passes do, for any TAT and cost", () => {
  const cases = fc.record({
    given: ruleAndCost,
    // The TAT relative to now, in buckets: in the past (a full bucket), or up to past a full one.
    fill: fc.double({ min: -0.5, max: 1.2, noNaN: true }),
  });
  fc.assert(
    fc.property(cases, ({ given: { rule, cost }, fill }) => {
      const now = 1_700_000_000_000;
      const tat = now * 1000 + Math.floor(fill * rule.windowMs * 1000);
      const write = (ctx: LocalContext) => ctx.set(KEY, String(tat), 2 * rule.windowMs);
      const one = freshContext(now, write);
      const two = freshContext(now, write);
      expect(checkOneTat(one, KEY, rule, cost, now)).toEqual(passes(readTat, two, rule, cost, now));
      expect(one.get(KEY)).toBe(two.get(KEY));
      expect(one.pttl(KEY)).toBe(two.pttl(KEY));
    }),
    { numRuns: 2_000 },
  );
});
