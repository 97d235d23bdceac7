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
    ["timeoutMs", { timeoutMs: 0 }, "timeoutMs must be a positive finite number of milliseconds, got 0"],
    [
      "probeIntervalMs",
      { probeIntervalMs: Number.POSITIVE_INFINITY },
      "probeIntervalMs must be a positive finite",
    ],
    [
      "algorithm",
      { algorithm: "leaky-bucket" },
      'algorithm must be "sliding-log", "sliding-window" or "gcra"',
    ],
    ["prefix", { prefix: "" }, "prefix must be a non-empty string"],
    ["store", { store: {} }, "store must be an mcp-persist Store"],
    [
      "fallback",
      { fallback: { run() {}, capabilities: { scripts: false }, name: "kv" } },
      'fallback "kv" cannot run scripts',
    ],
  ])("%s: %j", (_name, bad, message) => {
    const attempt = () => createRateLimiter({ ...valid, ...(bad as object) });
    expect(attempt).toThrow(RateLimitOptionError);
    expect(attempt).toThrow(`[@mcp-persist/ratelimit] ${message}`);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", package: "@mcp-persist/ratelimit" });
    }
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

  it.each([0, -1, 1.5, Number.NaN, "1"])("%j is rejected with ERR_INVALID_COST", async (cost) => {
    await expect(limiter.check("k", { cost: cost as number })).rejects.toMatchObject({
      name: "RateLimitCostError",
      code: "ERR_INVALID_COST",
      message: expect.stringMatching(/^\[@mcp-persist\/ratelimit\] cost must be a positive integer/),
    });
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
