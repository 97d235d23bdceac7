import { createRateLimiter, createToolRateLimiter, denialMessage } from "@mcp-persist/ratelimit";
import { hostileValue } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caller, duration, field, name, optionsOf } from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { clockChoice, openStore, storeChoice } from "./support/stores";
import { settledTyped, typedOutcome } from "./support/typed";

reportInputs("ratelimit");

const windowMs = fc.integer({ min: 1, max: 3_600_000 });
const rule = fc.record({ limit: fc.integer({ min: 1, max: 40 }), windowMs });
/** The deprecated names, each set (to anything) only by the option that breaks one. */
const deprecated = { also: ["timeoutMs", "failClosed", "fallback"] };
const limiterOptions = {
  algorithm: fc.constantFrom("sliding-log", "sliding-window", "gcra"),
  storeTimeoutMs: duration,
  onStoreDown: fc.constantFrom("proceed", "refuse"),
  probeIntervalMs: duration,
  prefix: name,
  clock: clockChoice,
  logger: fc.constant({ debug() {}, info() {}, warn() {}, error() {} }),
};
const cost = fc.oneof(fc.constant(undefined), optionsOf({ cost: fc.integer({ min: 1, max: 50 }) }));
const toolCall = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ tool: field(name), caller: field(caller) }, { requiredKeys: ["tool"] }),
  },
  { weight: 1, arbitrary: hostileValue },
);

/** A result a limiter resolved: the shape its README documents. */
function expectResult(result: unknown): void {
  expect(result).toMatchObject({
    allowed: expect.any(Boolean),
    reason: expect.stringMatching(/^(ok|limited|fallback|degraded)$/),
    rule: expect.any(String),
    remaining: expect.any(Number),
    retryAfterMs: expect.any(Number),
    resetAtMs: expect.any(Number),
  });
}

describe("createToolRateLimiter and createRateLimiter, given any options", () => {
  it("throw a typed error, or make a limiter whose check and refund work", async () => {
    const options = fc.record({
      store: storeChoice,
      fallback: fc.option(storeChoice, { nil: undefined }),
      tool: optionsOf(
        { ...limiterOptions, perCallerPerTool: rule, perCaller: rule, perTool: rule },
        deprecated,
      ),
      single: optionsOf(
        { ...limiterOptions, limit: fc.integer({ min: 1, max: 40 }), windowMs },
        { ...deprecated, required: ["limit", "windowMs"] },
      ),
    });
    await fc.assert(
      fc.asyncProperty(options, async ({ store: choice, fallback, tool, single }) => {
        tried1();
        const store = openStore(choice);
        const fallbackStore = fallback === undefined ? undefined : openStore(fallback);
        const withStores = (given: unknown) =>
          typeof given === "object" && given !== null ? { ...given, store, fallbackStore } : given;
        try {
          const toolLimiter = tally(
            "createToolRateLimiter",
            typedOutcome(() => createToolRateLimiter(withStores(tool) as never)),
          );
          if (toolLimiter.ok) {
            const checked = await settledTyped(() =>
              toolLimiter.value.check({ tool: "send", caller: "alice" }),
            );
            if (checked.ok) {
              expectResult(checked.value);
              expect(await toolLimiter.value.refund(checked.value)).toEqual(expect.any(Boolean));
              if (!checked.value.allowed) expect(denialMessage(checked.value, "send")).toMatch(/^Rate limit/);
            }
          }
          const limiter = tally(
            "createRateLimiter",
            typedOutcome(() => createRateLimiter(withStores(single) as never)),
          );
          if (limiter.ok) {
            const checked = await settledTyped(() => limiter.value.check("alice"));
            if (checked.ok) {
              expectResult(checked.value);
              expect(await limiter.value.refund(checked.value)).toEqual(expect.any(Boolean));
            }
          }
        } finally {
          await Promise.all([store.close(), fallbackStore?.close()]);
        }
      }),
      runs(600),
    );
  });
});

describe("check, refund and denialMessage, given any call, cost or result", () => {
  const store = openStore("lru");
  const limiter = createToolRateLimiter({
    store,
    perCallerPerTool: { limit: 30, windowMs: 60_000 },
    perCaller: { limit: 40, windowMs: 60_000 },
    perTool: { limit: 50, windowMs: 60_000 },
  });
  const single = createRateLimiter({ store, limit: 30, windowMs: 60_000, algorithm: "gcra" });

  it("a tool limiter's check resolves a result or rejects with a typed error; refund never rejects", async () => {
    await fc.assert(
      fc.asyncProperty(toolCall, cost, hostileValue, async (call, options, junk) => {
        tried1();
        const checked = tally(
          "check",
          await settledTyped(() => limiter.check(call as never, options as never)),
        );
        if (checked.ok) {
          expectResult(checked.value);
          expect(checked.value.tool).toBe((call as { tool: string }).tool);
          expect(await limiter.refund(checked.value)).toEqual(expect.any(Boolean));
        }
        const refunded = await settledTyped(
          () => limiter.refund(junk as never),
          () => false,
        );
        expect(refunded.value).toBe(false);
      }),
      runs(1500),
    );
  });

  it("a key limiter's check does the same with any key", async () => {
    await fc.assert(
      fc.asyncProperty(field(name), cost, async (key, options) => {
        tried1();
        const checked = await settledTyped(() => single.check(key as never, options as never));
        if (checked.ok) expectResult(checked.value);
      }),
      runs(800),
    );
  });

  it("denialMessage gives a sentence or a typed error", () => {
    fc.assert(
      fc.property(hostileValue, field(name), (result, tool) => {
        tried1();
        const text = typedOutcome(() => denialMessage(result as never, tool as never));
        if (text.ok) expect(text.value).toEqual(expect.any(String));
      }),
      runs(500),
    );
  });
});
