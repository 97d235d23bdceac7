import { randomUUID } from "node:crypto";
import type { Store } from "@mcp-persist/cache-core";
import { createManualClock, type ManualClock } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { type RedisServer, redisCommand, startRedis } from "@mcp-persist/test-redis";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Algorithm, algorithms } from "../src/algorithms";
import type { LimitRule } from "../src/limits";
import { checkArgs, refundArgs } from "../src/script-args";
import { storeKinds } from "./support/stores";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const everyScript = Object.values(algorithms).flatMap((algorithm) => [algorithm.check, algorithm.refund]);

it("every script's SHA1 is the one Redis computes with SCRIPT LOAD", async () => {
  expect(everyScript).toHaveLength(6);
  for (const script of everyScript) {
    expect(await redisCommand(redis.port, "SCRIPT", "LOAD", script.lua), script.name).toBe(script.sha1);
  }
});

// Limits whose windows do not divide evenly by their limits, so rounding is exercised; the last
// shares the first one's window with a lower limit, as in a rolling deploy that lowers a limit.
const RULES: readonly LimitRule[] = [
  { limit: 5, windowMs: 1000 },
  { limit: 3, windowMs: 700 },
  { limit: 7, windowMs: 2500 },
  { limit: 2, windowMs: 1000 },
];

interface Step {
  advanceMs: number;
  cost: number;
  /** The limits the checks are made against (at least one). */
  rules: LimitRule[];
  /**
   * Which of three keys each limit is on. Random, so one key is checked under different limits
   * from one step to the next, as when processes with old and new limits share keys.
   */
  slots: number[];
  /** Checks in one script call, as the limiter batches them: even ones on one caller's keys, odd ones on another's. */
  batch: number;
  /** Take back the charge of an earlier allowed check instead of checking. */
  refund: boolean;
}

const step: fc.Arbitrary<Step> = fc
  .uniqueArray(fc.constantFrom(...RULES), { minLength: 1, maxLength: 3 })
  .chain((rules) =>
    fc.record({
      advanceMs: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3000 })),
      // Never above a limit of the check: the limiter refuses such a cost before any script runs.
      cost: fc.integer({ min: 1, max: Math.min(...rules.map((rule) => rule.limit)) }),
      rules: fc.constant(rules),
      slots: fc.shuffledSubarray([0, 1, 2], { minLength: rules.length, maxLength: rules.length }),
      batch: fc.integer({ min: 1, max: 3 }),
      refund: fc.boolean(),
    }),
  );

/** The same steps through the Lua body on `remote` and the JS body in process: every reply equal. */
async function expectParity(
  remote: Store,
  algorithm: Algorithm,
  clock: ManualClock,
  steps: readonly Step[],
): Promise<void> {
  const local = lruStore({ clock });
  const prefix = `parity:${randomUUID()}:`;
  const charges: { keys: string[]; rules: LimitRule[]; at: number; cost: number }[] = [];
  for (const { advanceMs, cost, rules, slots, batch, refund } of steps) {
    clock.advance(advanceMs);
    const charge = refund ? charges.shift() : undefined;
    if (charge !== undefined) {
      const args = refundArgs(charge.cost, charge.at, charge.rules);
      const expected = await local.run(algorithm.refund, charge.keys, args);
      expect(await remote.run(algorithm.refund, charge.keys, args)).toEqual(expected);
      continue;
    }
    const checks = Array.from({ length: batch }, (_, c) => slots.map((slot) => `${prefix}${c % 2}:${slot}`));
    const args = checkArgs(
      rules,
      checks.map(() => cost),
    );
    const expected = await local.run(algorithm.check, checks.flat(), args);
    expect(await remote.run(algorithm.check, checks.flat(), args)).toEqual(expected);
    const size = 2 + 3 * rules.length;
    checks.forEach((keys, c) => {
      if (expected[c * size] === 1) charges.push({ keys, rules, at: expected[c * size + 1] as number, cost });
    });
  }
  await local.close();
}

describe.each(storeKinds(() => redis).filter((kind) => kind.redis))(
  "Lua and JS bodies agree on $name",
  (kind) => {
    it.each(Object.values(algorithms))(
      "$name: same replies for the same calls at the same times",
      async (algorithm) => {
        await fc.assert(
          fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
            const clock = createManualClock();
            const remote = kind.open({ clock });
            await expectParity(remote, algorithm, clock, steps);
            await remote.close();
          }),
          { numRuns: 25 },
        );
      },
    );

    it.each(Object.values(algorithms))(
      "$name: same replies for 12 calls at 20, 1 at 2, then 30 at 20 on one key, at one time",
      async (algorithm) => {
        const at = (limit: number, count: number): Step[] =>
          Array.from({ length: count }, () => ({
            advanceMs: 0,
            cost: 1,
            rules: [{ limit, windowMs: 60_000 }],
            slots: [0],
            batch: 1,
            refund: false,
          }));
        const clock = createManualClock();
        const refunds = at(20, 3).map((s) => ({ ...s, refund: true }));
        await expectParity(kind.open({ clock }), algorithm, clock, [
          ...at(20, 12),
          ...at(2, 1),
          ...at(20, 30),
          ...refunds,
          ...at(20, 5),
        ]);
      },
    );
  },
);
