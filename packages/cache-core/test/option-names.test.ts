import { createCache, InvalidOptionError } from "@mcp-persist/cache-core";
import { memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { upstream } from "./support";

// A misspelt option fell back to its default without a word: `{ ttl: 5000 }` cached for the
// default TTL, `{ requireCallr: true }` shared one caller's result with every other.

const make = (options: Record<string, unknown>) => () =>
  createCache({ store: memoryStore(), defaultTtlMs: 1000, ...options });

describe("createCache refuses a misspelt option name", () => {
  it.each([
    [
      { defaultTTLMs: 5 },
      'unknown option "defaultTTLMs"; the options are store, defaultTtlMs, ',
      "defaultTtlMs",
    ],
    [{ staleTtl: 5 }, 'unknown option "staleTtl"; the options are ', "staleTtlMs"],
    [{ requireCallr: true }, 'unknown option "requireCallr"; the options are ', undefined],
    [{ l1: { max: 5 } }, 'l1: unknown option "max"; the options are maxEntries, ttlMs', "maxEntries"],
    [
      { singleFlight: { mode: "fleet", wait: 5 } },
      'singleFlight: unknown option "wait"; the options are mode, leaseTtlMs, waitMs, pollMs',
      "waitMs",
    ],
    [
      { tools: { t: { requireCalle: true } } },
      'tools.t: unknown option "requireCalle"; the options are ttlMs, staleTtlMs, requireCaller, requireScope',
      "requireCaller",
    ],
  ])("%o", (options, message, close) => {
    expect(make(options)).toThrow(InvalidOptionError);
    expect(make(options)).toThrow(`[@mcp-persist/cache-core] ${message}`);
    if (close !== undefined) expect(make(options)).toThrow(`(did you mean "${close}"?)`);
  });

  it("takes the deprecated names it still honours", () => {
    expect(
      make({ opTimeoutMs: 100, requireScope: false, tools: { t: { requireScope: false } } }),
    ).not.toThrow();
  });
});

describe("wrap refuses a misspelt per-call option before anything runs", () => {
  it("rejects { ttl } naming ttlMs, hit or miss", async () => {
    const cache = make({})();
    const f = upstream((n) => n);
    await cache.wrap("k", f.fn);
    for (const key of ["k", "other"]) {
      const call = cache.wrap(key, f.fn, { ttl: 5000 } as never);
      await expect(call).rejects.toThrow(InvalidOptionError);
      await expect(cache.wrap(key, f.fn, { ttl: 5000 } as never)).rejects.toThrow(
        '[@mcp-persist/cache-core] wrap() options: unknown option "ttl"; the options are ttlMs, staleTtlMs, bypass, requireCaller, requireScope, isError, tool, signal (did you mean "ttlMs"?)',
      );
    }
    expect(f.calls).toBe(1);
  });

  it("takes every option it documents", async () => {
    const cache = make({})();
    const options = {
      ttlMs: 100,
      staleTtlMs: 0,
      bypass: false,
      requireCaller: false,
      isError: () => false,
      tool: "t",
      signal: new AbortController().signal,
    };
    await expect(cache.wrap("k", () => 1, options)).resolves.toBe(1);
  });
});
