import { randomUUID } from "node:crypto";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { type RedisServer, redisCommand, startRedis } from "@mcp-persist/test-redis";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { algorithms } from "../src/algorithms";
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

// Limits whose windows do not divide evenly by their limits, so rounding is exercised.
const RULES: readonly LimitRule[] = [
  { limit: 5, windowMs: 1000 },
  { limit: 3, windowMs: 700 },
  { limit: 7, windowMs: 2500 },
];

interface Step {
  advanceMs: number;
  cost: number;
  /** Which of the three rules the checks are made against (at least one). */
  rules: number[];
  /** Checks in one script call, as the limiter batches them: even ones on one caller's keys, odd ones on another's. */
  batch: number;
  /** Take back the charge of an earlier allowed check instead of checking. */
  refund: boolean;
}

const step = fc.record({
  advanceMs: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3000 })),
  cost: fc.integer({ min: 1, max: 3 }),
  rules: fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }),
  batch: fc.integer({ min: 1, max: 3 }),
  refund: fc.boolean(),
});

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
            const local = lruStore({ clock });
            const prefix = `parity:${randomUUID()}:`;
            const charges: { keys: string[]; rules: LimitRule[]; at: number; cost: number }[] = [];
            for (const { advanceMs, cost, rules: used, batch, refund } of steps) {
              clock.advance(advanceMs);
              const rules = used.map((i) => RULES[i] as LimitRule);
              const charge = refund ? charges.shift() : undefined;
              if (charge !== undefined) {
                const args = refundArgs(charge.cost, charge.at, charge.rules);
                const expected = await local.run(algorithm.refund, charge.keys, args);
                expect(await remote.run(algorithm.refund, charge.keys, args)).toEqual(expected);
                continue;
              }
              const checks = Array.from({ length: batch }, (_, c) =>
                used.map((i) => `${prefix}${c % 2}:${i}`),
              );
              const args = checkArgs(
                rules,
                checks.map(() => cost),
              );
              const expected = await local.run(algorithm.check, checks.flat(), args);
              expect(await remote.run(algorithm.check, checks.flat(), args)).toEqual(expected);
              const size = 2 + 3 * rules.length;
              checks.forEach((keys, c) => {
                if (expected[c * size] === 1)
                  charges.push({ keys, rules, at: expected[c * size + 1] as number, cost });
              });
            }
            await Promise.all([local.close(), remote.close()]);
          }),
          { numRuns: 25 },
        );
      },
    );
  },
);
