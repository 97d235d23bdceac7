import { createCache, InvalidOptionError, StoreTimeoutError } from "@mcp-persist/cache-core";
import { faultyStore, memoryStore } from "@mcp-persist/cache-core/testing";
import { afterEach, describe, expect, it } from "vitest";

/** A cache on a store whose reads never answer, recording the errors it reports. */
function hangingCache(options: { storeTimeoutMs?: number; opTimeoutMs?: number }) {
  const errors: unknown[] = [];
  const cache = createCache({
    store: faultyStore(memoryStore(), "hang", { only: ["get", "run"] }),
    defaultTtlMs: 60_000,
    onEvent: (event) => {
      if (event.type === "error") errors.push(event.error);
    },
    ...options,
  });
  return { cache, errors };
}

const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
process.on("warning", onWarning);
afterEach(() => {
  warnings.length = 0;
});

describe("storeTimeoutMs: how long the cache waits for its store", () => {
  it("bounds each store call and names itself in the timeout it reports", async () => {
    const { cache, errors } = hangingCache({ storeTimeoutMs: 50 });
    expect(await cache.wrap({ tool: "t", args: {} }, () => "fn ran")).toBe("fn ran");
    expect(errors[0]).toBeInstanceOf(StoreTimeoutError);
    expect(errors[0]).toMatchObject({
      code: "ERR_STORE_TIMEOUT",
      message: expect.stringContaining("raise storeTimeoutMs"),
    });
  });

  it("is a positive duration Node's timers can hold", () => {
    const store = memoryStore();
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, "250"]) {
      expect(
        () => createCache({ store, defaultTtlMs: 1000, storeTimeoutMs: bad as number }),
        String(bad),
      ).toThrow(InvalidOptionError);
    }
    expect(() => createCache({ store, defaultTtlMs: 1000, storeTimeoutMs: 2 ** 31 })).toThrow(
      "storeTimeoutMs must be a number of milliseconds above 0 and at most 2147483647",
    );
    expect(() => createCache({ store, defaultTtlMs: 1000, storeTimeoutMs: 2 ** 31 - 1 })).not.toThrow();
  });

  it("still honours the deprecated opTimeoutMs, with one DeprecationWarning per process", async () => {
    const { cache, errors } = hangingCache({ opTimeoutMs: 50 });
    hangingCache({ opTimeoutMs: 60 });
    expect(await cache.wrap({ tool: "t", args: {} }, () => "fn ran")).toBe("fn ran");
    expect(errors[0]).toMatchObject({ code: "ERR_STORE_TIMEOUT", message: expect.stringContaining("50 ms") });
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    const deprecations = warnings.filter((w) => (w as { code?: string }).code === "MCP_PERSIST_DEPRECATED");
    expect(deprecations).toHaveLength(1);
    expect(deprecations[0]?.message).toContain("opTimeoutMs");
    expect(deprecations[0]?.message).toContain("storeTimeoutMs");
    expect(() => createCache({ store: memoryStore(), defaultTtlMs: 1000, opTimeoutMs: 0 })).toThrow(
      InvalidOptionError,
    );
  });

  it("prefers storeTimeoutMs when both names are given", async () => {
    const { cache, errors } = hangingCache({ storeTimeoutMs: 40, opTimeoutMs: 5000 });
    expect(await cache.wrap({ tool: "t", args: {} }, () => "fn ran")).toBe("fn ran");
    expect(errors[0]).toMatchObject({ message: expect.stringContaining("40 ms") });
  });
});
