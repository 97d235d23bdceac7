import { isDeepStrictEqual } from "node:util";
import { createCache } from "@mcp-persist/cache-core";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { anyString, codecValue } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reportInputs, runs, tried1 } from "./support/runs";

reportInputs("cache values");

// What a hit returns must equal what the miss returned, on every store: through Redis (both
// clients) as in process. Values are everything the default codec says it keeps: JSON, Date,
// BigInt, Map, Set, undefined, NaN, ±Infinity, -0, text cut mid-emoji (lone surrogates),
// `__proto__` members, deep and wide, and the one-text MCP result it stores as bare text. Every
// hit is a copy of its own.

const redis = useRedis();

const value = codecValue;
const result = fc.oneof(
  value,
  anyString.map((text) => ({ content: [{ type: "text", text }] })),
  fc.tuple(fc.nat(50), fc.nat(2000)).map(([depth, width]) => {
    let deep: unknown = "bottom";
    for (let i = 0; i < depth; i++) deep = [deep];
    return { deep, wide: Array.from({ length: width }, (_, i) => i) };
  }),
);

describe.each(storeKinds(redis))("on $name", (kind) => {
  it("a hit returns exactly what the miss returned", async () => {
    const cache = createCache({ store: kind.open(), defaultTtlMs: 60_000, storeTimeoutMs: 5000 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(result, async (produced) => {
        tried1();
        const key = { tool: "values", args: { n: ++n } };
        const miss = await cache.wrap(key, () => produced);
        const hit = await cache.wrap(key, () => "a second call: the first was not stored");
        expect(miss).toBe(produced);
        expect(isDeepStrictEqual(hit, produced), "the hit differs from the miss").toBe(true);
        // Each hit is the caller's own copy: one caller mutating it cannot reach another.
        const again = await cache.wrap(key, () => "a third call");
        if (typeof hit === "object" && hit !== null) {
          expect(hit).not.toBe(produced);
          expect(again).not.toBe(hit);
        }
      }),
      runs(kind.redis ? 300 : 600),
    );
  });
});
