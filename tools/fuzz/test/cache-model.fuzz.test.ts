import { createCache } from "@mcp-persist/cache-core";
import type { Caller } from "@mcp-persist/keys";
import { lruStore } from "@mcp-persist/store-lru";
import { cycleArbitrary, jsonValue, shuffleKeys } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callerId, callIdentity } from "./support/call-identity";
import { injection } from "./support/names";
import { reportInputs, runs, tried1 } from "./support/runs";

reportInputs("cache-core model");

// Random sequences of wrap calls, invalidations and deletes, checked against a model of which
// results each call may be given: only ever a result computed for the same call (same tool,
// version, caller and canonical arguments), and never one an invalidation has retired. A call
// the model knows is cached must be a hit, which checks the key memo as well as the layout.

interface Token {
  id: string | undefined;
  n: number;
}

const tool = fc.constantFrom("search", "search_docs", "a:b", "a%3Ab", "{t}");
const version = fc.constantFrom(undefined, "v1", "v2", "v:1");
const caller: fc.Arbitrary<Caller | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom("alice", "bob", "{alice}", "alice:bob", "alice\r\n"),
  fc.record(
    { user: fc.constantFrom("alice", "bob"), tenant: fc.constantFrom("acme", "acme:x") },
    { requiredKeys: ["user"] },
  ),
);
const args = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      { q: fc.constantFrom("x", "y", "x:y", "{x}"), n: fc.constantFrom(0, 1) },
      { requiredKeys: [] },
    ),
  },
  { weight: 2, arbitrary: jsonValue },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      new Map([["a", 1]]),
      new Set([1]),
      5n,
      new Date(0),
      [undefined],
      -0,
      Number.NaN,
    ),
  },
  { weight: 1, arbitrary: cycleArbitrary },
);
const op = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("wrap" as const),
      tool,
      version,
      caller,
      args,
      copies: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("string" as const),
      key: injection,
      tool: fc.option(tool, { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("invalidateCaller" as const),
      caller: caller.filter((c) => c !== undefined),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("invalidateTool" as const), tool }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), tool, version, caller, args }) },
);

function shuffled(value: unknown, seed: number): unknown {
  let state = seed;
  return shuffleKeys(value, () => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32);
}

describe("cache.wrap serves each call only its own results", () => {
  it("over random sequences of calls, invalidations and deletes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom(0, 1000),
        async (ops, hashTag, generationRefreshMs) => {
          const store = lruStore({ max: 1000, maxStateKeys: 1000 });
          const cache = createCache({
            store,
            defaultTtlMs: 3_600_000,
            hashTag,
            generationRefreshMs,
            digestBytes: 8,
          });
          let n = 0;
          /** Results each identity may be served: computed since its last invalidation. */
          const valid = new Map<string, Set<number>>();
          const retire = (match: (id: string[]) => boolean) => {
            for (const id of valid.keys()) if (match(JSON.parse(id) as string[])) valid.delete(id);
          };
          try {
            for (const step of ops) {
              tried1();
              if (step.kind === "wrap") {
                const id = callIdentity(step);
                const before = id === undefined ? undefined : new Set(valid.get(id));
                const calls = Array.from({ length: step.copies }, (_, copy) => {
                  const key = {
                    tool: step.tool,
                    version: step.version,
                    caller: step.caller,
                    args: id === undefined ? step.args : shuffled(step.args, step.seed + copy),
                  };
                  return cache.wrap(key, (): Token => ({ id, n: ++n }));
                });
                for (const result of await Promise.all(calls)) {
                  expect(result.id, "a result computed for another call").toBe(id);
                  if (id === undefined || before === undefined) continue;
                  const fresh = result.n > Math.max(0, ...before);
                  // Sequential: a known, valid entry must be the answer (a hit), and nothing else may be.
                  if (before.size > 0) expect(before.has(result.n), "a miss or a retired result").toBe(true);
                  else expect(fresh, "a retired result").toBe(true);
                  if (!valid.has(id)) valid.set(id, new Set());
                  valid.get(id)?.add(result.n);
                }
              } else if (step.kind === "string") {
                const id = `string ${step.key}`;
                const result = await cache.wrap(step.key, (): Token => ({ id, n: ++n }), { tool: step.tool });
                expect(result.id, "a result computed for another key").toBe(id);
              } else if (step.kind === "invalidateCaller") {
                await cache.invalidateCaller(step.caller as Caller);
                const who = callerId(step.caller);
                retire((id) => id[2] === who);
              } else if (step.kind === "invalidateTool") {
                await cache.invalidateTool(step.tool);
                retire((id) => id[0] === step.tool);
              } else {
                const id = callIdentity(step);
                const removal = cache.delete({
                  tool: step.tool,
                  version: step.version,
                  caller: step.caller,
                  args: step.args,
                });
                if (id === undefined) await removal.catch(() => {});
                else await removal;
                if (id !== undefined) valid.delete(id);
              }
            }
          } finally {
            await store.close();
          }
        },
      ),
      runs(300),
    );
  });
});
