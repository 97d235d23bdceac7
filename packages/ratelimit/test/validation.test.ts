import { randomUUID } from "node:crypto";
import { InvalidOptionError } from "@mcp-persist/cache-core";
import { lruStore } from "@mcp-persist/store-lru";
import { describe, expect, it } from "vitest";
import {
  createRateLimiter,
  createToolRateLimiter,
  MAX_LIMIT,
  MAX_WINDOW_MS,
  RateLimitCostError,
  RateLimitOptionError,
} from "../src/index";

const store = lruStore();
const valid = { store, limit: 5, windowMs: 60_000 };

describe("options are checked at construction", () => {
  it.each([
    ["limit", { limit: 0 }, "limit must be a positive integer, got 0"],
    ["limit", { limit: 2.5 }, "limit must be a positive integer, got 2.5"],
    ["limit", { limit: Number.NaN }, "limit must be a positive integer, got NaN"],
    ["limit", { limit: Number.POSITIVE_INFINITY }, "limit must be a positive integer, got Infinity"],
    ["limit", { limit: "5" }, 'limit must be a positive integer, got "5"'],
    ["limit", { limit: MAX_LIMIT + 1 }, `limit must be at most ${MAX_LIMIT}`],
    ["windowMs", { windowMs: -1000 }, "windowMs must be a positive integer, got -1000"],
    ["windowMs", { windowMs: 0.5 }, "windowMs must be a positive integer, got 0.5"],
    ["windowMs", { windowMs: MAX_WINDOW_MS + 1 }, `windowMs must be at most ${MAX_WINDOW_MS}`],
    ["limit × windowMs", { limit: 2 ** 24, windowMs: 2 ** 27 }, "limit × windowMs must be at most 2^50"],
    [
      "storeTimeoutMs",
      { storeTimeoutMs: 0 },
      "storeTimeoutMs must be a number of milliseconds above 0 and at most 2147483647",
    ],
    [
      "timeoutMs (deprecated)",
      { timeoutMs: 0 },
      "timeoutMs must be a number of milliseconds above 0 and at most 2147483647",
    ],
    [
      "probeIntervalMs",
      { probeIntervalMs: Number.POSITIVE_INFINITY },
      "probeIntervalMs must be a number of milliseconds above 0",
    ],
    [
      "algorithm",
      { algorithm: "leaky-bucket" },
      'algorithm must be "sliding-log", "sliding-window" or "gcra"',
    ],
    ["prefix", { prefix: "" }, "prefix must be a non-empty string"],
    [
      "storeTimeoutMs",
      { storeTimeoutMs: 2 ** 31 },
      "storeTimeoutMs must be a number of milliseconds above 0 and at most 2147483647",
    ],
    ["onStoreDown", { onStoreDown: "Refuse" }, 'onStoreDown must be "proceed" or "refuse", got "Refuse"'],
    ["onStoreDown", { onStoreDown: true }, 'onStoreDown must be "proceed" or "refuse", got true'],
    ["onStoreDown", { onStoreDown: null }, 'onStoreDown must be "proceed" or "refuse", got null'],
    [
      "onStoreDown and failClosed",
      { onStoreDown: "refuse", failClosed: true },
      "failClosed is the deprecated form of onStoreDown: give only onStoreDown",
    ],
    [
      "storeTimeoutMs and timeoutMs",
      { storeTimeoutMs: 100, timeoutMs: 100 },
      "timeoutMs is the deprecated name of storeTimeoutMs: give only storeTimeoutMs",
    ],
    [
      "fallbackStore and fallback",
      { fallbackStore: lruStore(), fallback: lruStore() },
      "fallback is the deprecated name of fallbackStore: give only fallbackStore",
    ],
    ["failClosed", { failClosed: "false" }, 'failClosed must be true or false, got "false"'],
    ["failClosed", { failClosed: 0 }, "failClosed must be true or false, got 0"],
    ["failClosed", { failClosed: null }, "failClosed must be true or false, got null"],
    ["clock", { clock: {} }, "clock must be an object whose now() returns epoch milliseconds"],
    [
      "clock",
      { clock: { now: () => "soon" } },
      'clock must be an object whose now() returns epoch milliseconds, e.g. systemClock; its now() returned "soon"',
    ],
    [
      "clock",
      { clock: { now: () => Number.NaN } },
      "clock must be an object whose now() returns epoch milliseconds, e.g. systemClock; its now() returned NaN",
    ],
    [
      "clock",
      { clock: null },
      "clock must be an object whose now() returns epoch milliseconds, e.g. systemClock; got null",
    ],
    ["prefix", { prefix: null }, "prefix must be a non-empty string, got null"],
    [
      "storeTimeoutMs",
      { storeTimeoutMs: null },
      "storeTimeoutMs must be a number of milliseconds above 0 and at most 2147483647",
    ],
    [
      "clock",
      { clock: () => Date.now() },
      "clock must be an object whose now() returns epoch milliseconds, e.g. systemClock; got a function",
    ],
    [
      "logger",
      { logger: "pino" },
      'logger must have debug, info, warn and error methods, like a pino logger; got "pino"',
    ],
    ["logger", { logger: {} }, "logger must have debug, info, warn and error methods"],
    [
      "logger",
      { logger: { warn() {}, info() {} } },
      "logger must have debug, info, warn and error methods, like a pino logger; it has no debug, error",
    ],
    ["algorithm", { algorithm: Object.create(null) }, "algorithm must be"],
    ["store", { store: {} }, "store must be an mcp-persist Store"],
    [
      "fallbackStore",
      { fallbackStore: { run() {}, capabilities: null, name: "kv" } },
      "fallbackStore must be an mcp-persist Store",
    ],
    ["fallback (deprecated)", { fallback: { name: "kv" } }, "fallback must be an mcp-persist Store"],
    ["store", { store: { run() {}, capabilities: {} } }, "store must be an mcp-persist Store"],
    ["store", { store: new Map() }, "store must be an mcp-persist Store"],
  ])("%s: %j", (_name, bad, message) => {
    const attempt = () => createRateLimiter({ ...valid, ...(bad as object) });
    expect(attempt).toThrow(InvalidOptionError);
    expect(attempt).toThrow(`[@mcp-persist/ratelimit] ${message}`);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", package: "@mcp-persist/ratelimit" });
    }
  });

  // A message about a bad value must not fail on that value.
  it.each([
    ["limit", { limit: Object.create(null) }, "limit must be a positive integer, got an object"],
    ["limit", { limit: 5n }, "limit must be a positive integer, got 5n"],
    ["prefix", { prefix: Symbol("p") }, "prefix must be a non-empty string, got Symbol(p)"],
    ["failClosed", { failClosed: 1n }, "failClosed must be true or false, got 1n"],
    ["clock", { clock: Object.create(null) }, "clock must be an object whose now()"],
    [
      "onStoreDown",
      { onStoreDown: Symbol("refuse") },
      'onStoreDown must be "proceed" or "refuse", got Symbol(refuse)',
    ],
    ["store", { store: Object.create(null) }, "store must be an mcp-persist Store"],
  ])("a message naming %s never throws on the value it names: %s", (_name, bad, message) => {
    expect(() => createRateLimiter({ ...valid, ...(bad as object) })).toThrow(message);
  });

  it("every option is checked by a tool limiter too", () => {
    const rule = { limit: 5, windowMs: 60_000 };
    expect(() => createToolRateLimiter({ store, perTool: rule, onStoreDown: "deny" as never })).toThrow(
      InvalidOptionError,
    );
    expect(() => createToolRateLimiter({ store, perTool: rule, clock: {} as never })).toThrow(
      InvalidOptionError,
    );
    expect(() => createToolRateLimiter({ store, perTool: null as never })).toThrow(
      "perTool must be { limit, windowMs }, got null",
    );
  });

  it("a misspelt option name is refused, not read as its default (a rate limit or outage policy lost)", () => {
    const limiter = () => createRateLimiter({ ...valid, onStoreDwn: "refuse" } as never);
    expect(limiter).toThrow(InvalidOptionError);
    expect(limiter).toThrow(
      '[@mcp-persist/ratelimit] unknown option "onStoreDwn"; the options are store, algorithm, storeTimeoutMs, timeoutMs, onStoreDown, failClosed, fallbackStore, fallback, probeIntervalMs, prefix, clock, logger, limit, windowMs',
    );
    expect(() => createRateLimiter({ ...valid, window: 1000 } as never)).toThrow(
      'unknown option "window"; the options are store, ',
    );
    expect(() => createRateLimiter({ ...valid, WindowMS: 1000 } as never)).toThrow(
      '(did you mean "windowMs"?)',
    );
    const rule = { limit: 5, windowMs: 60_000 };
    expect(() => createToolRateLimiter({ store, perTool: rule, perCallr: rule } as never)).toThrow(
      '[@mcp-persist/ratelimit] unknown option "perCallr"; the options are store, algorithm, storeTimeoutMs, timeoutMs, onStoreDown, failClosed, fallbackStore, fallback, probeIntervalMs, prefix, clock, logger, perCallerPerTool, perCaller, perTool',
    );
    expect(() => createToolRateLimiter({ store, perTool: { ...rule, window: 5 } } as never)).toThrow(
      '[@mcp-persist/ratelimit] perTool: unknown option "window"; the options are limit, windowMs',
    );
    // The deprecated names still work.
    expect(() =>
      createRateLimiter({ ...valid, timeoutMs: 100, failClosed: true, fallback: store }),
    ).not.toThrow();
  });

  it("a tool limiter needs at least one rule, and names the rule at fault", () => {
    expect(() => createToolRateLimiter({ store })).toThrow(/needs at least one rule/);
    expect(() => createToolRateLimiter({ store, perTool: { limit: 5, windowMs: 0 } })).toThrow(
      "[@mcp-persist/ratelimit] perTool.windowMs must be a positive integer, got 0",
    );
  });
});

describe("a cost is checked at each call", () => {
  const limiter = createRateLimiter(valid);

  it.each([0, -1, 1.5, Number.NaN, "1", null, 2n])("%s is rejected with ERR_INVALID_COST", async (cost) => {
    await expect(limiter.check("k", { cost: cost as number })).rejects.toMatchObject({
      name: "RateLimitCostError",
      code: "ERR_INVALID_COST",
      message: expect.stringMatching(/^\[@mcp-persist\/ratelimit\] cost must be a positive integer/),
    });
  });

  it("cost: null is refused, not read as the default of 1", async () => {
    const limiter = createRateLimiter({ ...valid, prefix: randomUUID() });
    await expect(limiter.check("k", { cost: null as never })).rejects.toThrow(
      "[@mcp-persist/ratelimit] cost must be a positive integer, got null",
    );
    // Left out (undefined) is the default.
    expect(await limiter.check("k", { cost: undefined })).toMatchObject({ allowed: true });
    expect(await limiter.check("k")).toMatchObject({ allowed: true });
  });

  it.each([
    [null, "got null"],
    [2, "got 2"],
    ["2", 'got "2"'],
  ])("options %s instead of { cost } are refused", async (options, got) => {
    await expect(limiter.check("k", options as never)).rejects.toMatchObject({
      code: "ERR_INVALID_COST",
      message: `[@mcp-persist/ratelimit] check() takes the cost in its options, e.g. check(key, { cost: 2 }), ${got}`,
    });
  });

  it("a tool limiter checks the cost and the call alike", async () => {
    const tools = createToolRateLimiter({
      store,
      prefix: randomUUID(),
      perTool: { limit: 5, windowMs: 60_000 },
    });
    await expect(tools.check({ tool: "t" }, { cost: null as never })).rejects.toBeInstanceOf(
      RateLimitCostError,
    );
    // No call at all is a missing tool name, as an empty one is.
    await expect(tools.check(undefined as never)).rejects.toMatchObject({ code: "ERR_KEY_INVALID_SEGMENT" });
    await expect(tools.check(null as never)).rejects.toMatchObject({ code: "ERR_KEY_INVALID_SEGMENT" });
  });

  it("a tool limiter refuses a call that is not an object, a function included (found by tools/fuzz)", async () => {
    const tools = createToolRateLimiter({
      store,
      prefix: randomUUID(),
      perTool: { limit: 5, windowMs: 60_000 },
    });
    // Reading `caller` off a class or a strict-mode function throws a TypeError.
    for (const call of [class {}, () => ({ tool: "t" }), "t", 5, 5n, Symbol("t"), true]) {
      await expect(tools.check(call as never)).rejects.toMatchObject({
        name: "RateLimitArgumentError",
        code: "ERR_INVALID_ARGUMENT",
        message: expect.stringContaining(
          "[@mcp-persist/ratelimit] check() takes a tool call { tool, caller? }",
        ),
      });
    }
    expect(await tools.check({ tool: "t" })).toMatchObject({ allowed: true });
  });

  it("a cost above the smallest limit could never pass, so it is an error, not a denial", async () => {
    await expect(limiter.check("k", { cost: 6 })).rejects.toBeInstanceOf(RateLimitCostError);
    const tools = createToolRateLimiter({
      store,
      perCaller: { limit: 10, windowMs: 60_000 },
      perTool: { limit: 3, windowMs: 60_000 },
    });
    await expect(tools.check({ tool: "t" }, { cost: 4 })).rejects.toThrow("cost 4 exceeds the limit of 3");
    expect((await tools.check({ tool: "t" }, { cost: 3 })).allowed).toBe(true);
  });
});
