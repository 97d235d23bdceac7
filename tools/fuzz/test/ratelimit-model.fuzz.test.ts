import { createManualClock } from "@mcp-persist/cache-core/testing";
import type { Caller } from "@mcp-persist/keys";
import { createRateLimiter, createToolRateLimiter } from "@mcp-persist/ratelimit";
import { lruStore } from "@mcp-persist/store-lru";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callerId } from "./support/call-identity";
import { injection } from "./support/names";
import { reportInputs, runs, tried1 } from "./support/runs";

reportInputs("ratelimit model");

// Random traffic from callers and tools whose names differ by a separator, a brace or an escape,
// checked against exact counts: with the store's clock frozen, every algorithm admits a call iff
// each rule's count plus its cost stays within the limit, so a key shared by two callers (or two
// tools, or two keys) shows as a decision the counts do not allow.

const WINDOW_MS = 3_600_000; // divisible by every limit below in µs, so gcra's spacing is exact
const algorithm = fc.constantFrom("sliding-log" as const, "sliding-window" as const, "gcra" as const);
const limit = fc.integer({ min: 1, max: 6 });
const tool = fc.constantFrom("send", "send_email", "a:b", "a%3Ab", "{t}", "_all", "{send}");
const caller: fc.Arbitrary<Caller | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom("alice", "bob", "{alice}", "alice:bob", "_anon", "alice\r\n"),
  fc.record(
    { user: fc.constantFrom("alice", "bob"), tenant: fc.constantFrom("acme", "{acme}") },
    { requiredKeys: ["user"] },
  ),
);

function frozenStore() {
  return lruStore({ max: 1000, maxStateKeys: 1000, clock: createManualClock(1_800_000_000_000) });
}

const step = fc.record({ tool, caller, cost: fc.integer({ min: 1, max: 2 }), refund: fc.boolean() });

describe("a tool limiter counts each caller and tool apart", () => {
  it("decisions match exact per-caller-per-tool, per-caller and per-tool counts", async () => {
    const limits = fc.record({ perCallerPerTool: limit, perCaller: limit, perTool: limit });
    await fc.assert(
      fc.asyncProperty(
        algorithm,
        limits,
        fc.array(step, { minLength: 1, maxLength: 40 }),
        async (name, l, steps) => {
          const store = frozenStore();
          const limiter = createToolRateLimiter({
            store,
            algorithm: name,
            perCallerPerTool: { limit: l.perCallerPerTool, windowMs: WINDOW_MS },
            perCaller: { limit: l.perCaller, windowMs: WINDOW_MS },
            perTool: { limit: l.perTool, windowMs: WINDOW_MS },
          });
          const smallest = Math.min(l.perCallerPerTool, l.perCaller, l.perTool);
          const counts = new Map<string, number>();
          const get = (key: string) => counts.get(key) ?? 0;
          const add = (keys: string[], n: number) => {
            for (const key of keys) counts.set(key, get(key) + n);
          };
          try {
            for (const s of steps) {
              tried1();
              const cost = Math.min(s.cost, smallest);
              const who = callerId(s.caller) as string;
              const keys = [`pct ${who} ${s.tool}`, `pc ${who}`, `pt ${s.tool}`];
              const room = [l.perCallerPerTool, l.perCaller, l.perTool].every(
                (max, i) => get(keys[i] as string) + cost <= max,
              );
              const result = await limiter.check({ tool: s.tool, caller: s.caller }, { cost });
              expect(result.reason).toBe(room ? "ok" : "limited");
              expect(result.allowed).toBe(room);
              if (room) add(keys, cost);
              if (s.refund) {
                const refunded = await limiter.refund(result);
                expect(refunded).toBe(room);
                if (room) add(keys, -cost);
                expect(await limiter.refund(result)).toBe(false);
              }
            }
          } finally {
            await store.close();
          }
        },
      ),
      runs(250),
    );
  });
});

describe("a key limiter counts each key apart", () => {
  it("decisions match exact per-key counts", async () => {
    await fc.assert(
      fc.asyncProperty(
        algorithm,
        limit,
        fc.array(fc.tuple(injection, fc.boolean()), { minLength: 1, maxLength: 40 }),
        async (name, max, steps) => {
          const store = frozenStore();
          const limiter = createRateLimiter({ store, algorithm: name, limit: max, windowMs: WINDOW_MS });
          const counts = new Map<string, number>();
          try {
            for (const [key, refund] of steps) {
              tried1();
              const room = (counts.get(key) ?? 0) < max;
              const result = await limiter.check(key);
              expect(result.allowed).toBe(room);
              if (room) counts.set(key, (counts.get(key) ?? 0) + 1);
              if (refund && room) {
                expect(await limiter.refund(result)).toBe(true);
                counts.set(key, (counts.get(key) ?? 0) - 1);
              }
            }
          } finally {
            await store.close();
          }
        },
      ),
      runs(250),
    );
  });
});
