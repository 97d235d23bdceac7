import { type Cache, createCache } from "@mcp-persist/cache-core";
import { cycleArbitrary, hostileValue } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caller, deepValue, duration, field, name, optionsOf } from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { clockChoice, openStore, storeChoice } from "./support/stores";
import { settledTyped, typedOutcome } from "./support/typed";

/** Invalidations reject with the store's own error: the caller must know one did not happen. */
const storeFailure = (error: unknown) => error instanceof Error && error.message.startsWith("faulty store:");

reportInputs("cache-core");

const bool = fc.boolean();
const cacheOptions = fc.record({
  store: storeChoice,
  options: optionsOf({
    defaultTtlMs: duration,
    namespace: name,
    storeTimeoutMs: fc.constantFrom(50, 250, 1000),
    jitter: fc.double({ min: 0, max: 0.99, noNaN: true }),
    staleTtlMs: duration,
    staleWhileRevalidate: bool,
    staleIfError: bool,
    maxValueBytes: fc.integer({ min: 1, max: 2_000_000 }),
    generationRefreshMs: fc.constantFrom(0, 1000),
    generationTtlMs: duration,
    hashTag: bool,
    digestBytes: fc.integer({ min: 8, max: 32 }),
    maxArgsLength: fc.integer({ min: 1, max: 1_000_000 }),
    requireCaller: bool,
    onEvent: fc.constant(() => {}),
    codec: fc.constant({ encode: JSON.stringify, decode: JSON.parse }),
    tools: fc.dictionary(
      name,
      fc.record({ ttlMs: duration, staleTtlMs: duration, requireCaller: bool }, { requiredKeys: [] }),
      { maxKeys: 2 },
    ),
    logger: fc.constant({ debug() {}, info() {}, warn() {}, error() {} }),
    clock: clockChoice,
    isError: fc.constant((value: unknown) => value === "error"),
  }),
});

/** The same call made twice (a miss, then a hit or another miss) must give `fn`'s value both times. */
async function expectFnValue(cache: Cache, key: unknown, options?: unknown): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const outcome = await settledTyped(() => cache.wrap(key as never, () => "value", options as never));
    if (outcome.ok) expect(outcome.value).toBe("value");
  }
}

describe("createCache, given any options, throws a typed error or makes a cache that works", () => {
  it("every call on the cache it made returns fn's value or rejects with a typed error", async () => {
    await fc.assert(
      fc.asyncProperty(cacheOptions, cycleArbitrary, async ({ store: choice, options }, cyclic) => {
        tried1();
        const store = openStore(choice);
        try {
          const given = typeof options === "object" && options !== null ? { ...options, store } : options;
          const made = tally(
            "createCache",
            typedOutcome(() => createCache(given as never)),
          );
          if (!made.ok) return;
          const cache = made.value;
          await expectFnValue(cache, { tool: "search", args: { q: "a" } });
          await expectFnValue(cache, { tool: "search", args: { q: "a" }, caller: "alice" });
          await expectFnValue(cache, { tool: "search", args: cyclic }); // unkeyable: logged, bypassed
          await expectFnValue(cache, "a string key", { tool: "search" });
          await expectFnValue(cache, { tool: "search", args: { q: "b" } }, { ttlMs: 5, staleTtlMs: 5 });
          const errorResult = await settledTyped(() =>
            cache.wrap({ tool: "search", args: {} }, () => "error"),
          );
          if (errorResult.ok) expect(errorResult.value).toBe("error");
          await settledTyped(() => cache.invalidateCaller("alice"), storeFailure);
          await settledTyped(() => cache.invalidateTool("search"), storeFailure);
          await settledTyped(() => cache.invalidateAll(), storeFailure);
          await settledTyped(() => cache.delete({ tool: "search", args: { q: "a" } }), storeFailure);
          await settledTyped(() => cache.warm([{ key: { tool: "search", args: {} }, fn: () => 1 }]));
          typedOutcome(() => cache.stats());
        } finally {
          await store.close();
        }
      }),
      runs(400),
    );
  });
});

describe("wrap, given any key, function and options, returns fn's value or rejects with a typed error", () => {
  const cache = createCache({ store: openStore("lru"), defaultTtlMs: 60_000, hashTag: true });
  const key = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(
        {
          tool: field(name),
          args: fc.oneof({ weight: 9, arbitrary: hostileValue }, { weight: 1, arbitrary: deepValue }),
          caller: field(caller),
          version: field(name),
        },
        { requiredKeys: ["tool", "args"] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ tool: name, args: hostileValue, caller: field(caller), scope: field(caller) }),
    },
    { weight: 1, arbitrary: field(name) },
  );
  const wrapOptions = fc.oneof(
    fc.constant(undefined),
    optionsOf({
      ttlMs: duration,
      staleTtlMs: duration,
      bypass: bool,
      requireCaller: bool,
      requireScope: bool,
      isError: fc.constant(() => false),
      tool: name,
      signal: fc.constantFrom(new AbortController().signal, AbortSignal.abort(new Error("aborted"))),
    }),
  );
  const aborted = (error: unknown) => error instanceof Error && error.message === "aborted";
  const valueFn = () => "value";
  /** Usually the function that computes the result; now and then anything at all. */
  const fn = fc.oneof({ weight: 9, arbitrary: fc.constant(valueFn) }, { weight: 1, arbitrary: hostileValue });
  /** What a junk `fn` throws when it happens to be a function: the caller's own error. */
  const fromJunk = (junk: unknown) => (error: unknown) =>
    typeof junk === "function" && junk !== valueFn && !!error;

  it("wrap(key, fn, options)", async () => {
    await fc.assert(
      fc.asyncProperty(key, fn, wrapOptions, async (k, f, options) => {
        tried1();
        for (let i = 0; i < 2; i++) {
          const outcome = tally(
            "wrap",
            await settledTyped(
              () => cache.wrap(k as never, f as never, options as never),
              (error) => aborted(error) || fromJunk(f)(error),
            ),
          );
          if (outcome.ok && f === valueFn) expect(outcome.value).toBe("value");
        }
      }),
      runs(1500),
    );
  });

  it("invalidateCaller, invalidateTool, delete and warm", async () => {
    await fc.assert(
      fc.asyncProperty(field(caller), field(name), hostileValue, async (who, tool, junk) => {
        tried1();
        await settledTyped(() => cache.invalidateCaller(who as never));
        await settledTyped(() => cache.invalidateScope(who as never));
        await settledTyped(() => cache.invalidateTool(tool as never));
        await settledTyped(() => cache.delete(junk as never));
        await settledTyped(() => cache.delete({ tool, args: junk, caller: who } as never));
        // warm never rejects, whatever its entries and options are: junk, or junk in an array.
        for (const entries of [junk, [junk]]) {
          const warmed = await settledTyped(() => cache.warm(entries as never, junk as never));
          expect(warmed.ok).toBe(true);
          expect(warmed.value).toMatchObject({ warmed: expect.any(Number), failed: expect.any(Number) });
        }
      }),
      runs(800),
    );
  });
});
