import { createCache } from "@mcp-persist/cache-core";
import { callerDigest, keySegment } from "@mcp-persist/keys";
import { clearOnce, once, withLock } from "@mcp-persist/lock";
import { createRateLimiter, createToolRateLimiter } from "@mcp-persist/ratelimit";
import { hashTagOf, keySlot } from "@mcp-persist/test-kit";
import { jsonValue } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caller, injection, name } from "./support/names";
import { recordingStore, type StoreCall } from "./support/recording-store";
import { reportInputs, runs, tried1 } from "./support/runs";
import { openStore } from "./support/stores";

reportInputs("key injection");

// Where each capability puts its keys, read from the store calls it makes (on a store that says it
// is a Redis Cluster): names and callers full of `:`, `{`, `}`, `*` and CRLF must stay in their
// namespace, keep one caller's (or one resource's) keys in one slot, and never carry a tag an
// input chose.

const printable = /^[\x21-\x29\x2b-\x7e]+$/; // no space, CR, LF, `*`

/** Every key is printable without `*`, under `prefix`, and each script call stays in one slot. */
function expectConfined(calls: readonly StoreCall[], prefix: string): void {
  for (const call of calls) {
    for (const key of call.keys) {
      expect(key).toMatch(printable);
      expect(key.startsWith(prefix), `${key} outside ${prefix}`).toBe(true);
      expect(key.split("{").length, key).toBeLessThanOrEqual(2);
    }
    expect(
      new Set(call.keys.map(keySlot)).size,
      `one script call across slots: ${call.keys.join(" ")}`,
    ).toBeLessThanOrEqual(1);
  }
}

describe("cache keys", () => {
  it("stay in the namespace; with hashTag, a caller's entries carry exactly its digest as their tag", async () => {
    const call = fc.record({ tool: name, version: fc.option(name, { nil: undefined }), args: jsonValue });
    await fc.assert(
      fc.asyncProperty(
        name,
        caller,
        fc.array(call, { minLength: 1, maxLength: 4 }),
        async (namespace, who, calls) => {
          tried1();
          const { store, calls: seen } = recordingStore(openStore("lru"), { cluster: true });
          const cache = createCache({ store, defaultTtlMs: 60_000, namespace, hashTag: true });
          try {
            for (const c of calls) await cache.wrap({ ...c, caller: who }, () => "value");
            await cache.wrap(`${namespace}:~k:x`, () => "value");
            await cache.invalidateCaller(who);
            expectConfined(seen, `${keySegment(namespace)}:`);
            const entries = seen.filter((s) => s.operation === "set" && !s.keys[0]?.includes(":~k:"));
            expect(entries.length).toBeGreaterThan(0);
            for (const entry of entries) expect(hashTagOf(entry.keys[0] as string)).toBe(callerDigest(who));
          } finally {
            await store.close();
          }
        },
      ),
      runs(500),
    );
  });
});

describe("rate-limit keys", () => {
  it("stay under the prefix; per-caller rules carry the caller's digest as their tag, the per-tool rule the tool's", async () => {
    await fc.assert(
      fc.asyncProperty(
        name,
        fc.option(caller, { nil: undefined }),
        name,
        injection,
        async (prefix, who, tool, key) => {
          tried1();
          const { store, calls } = recordingStore(openStore("lru"), { cluster: true });
          const rules = { limit: 5, windowMs: 60_000 };
          try {
            const limiter = createToolRateLimiter({
              store,
              prefix,
              perCallerPerTool: rules,
              perCaller: rules,
              perTool: rules,
            });
            const result = await limiter.check({ tool, caller: who });
            await limiter.refund(result);
            await createRateLimiter({ store, prefix, ...rules }).check(key);
            expectConfined(calls, `${keySegment(prefix)}:`);
            const tags = new Set(calls.flatMap((c) => c.keys).map(hashTagOf));
            const callerTag = who === undefined ? "_anon" : callerDigest(who);
            expect(tags).toEqual(new Set([callerTag, keySegment(tool), undefined]));
          } finally {
            await store.close();
          }
        },
      ),
      runs(600),
    );
  });
});

describe("lock and once keys", () => {
  it("stay in the namespace, keep one resource in one slot, and two resources never share a key", async () => {
    await fc.assert(
      fc.asyncProperty(name, injection, injection, async (namespace, first, second) => {
        tried1();
        const { store, calls } = recordingStore(openStore("lru"), { cluster: true });
        try {
          const inner = await withLock(
            store,
            first,
            () => withLock(store, second, async () => "inner", { namespace }),
            { namespace },
          );
          expect(inner.status).toBe("ran");
          if (inner.status === "ran") expect(inner.value.status).toBe(first === second ? "busy" : "ran");
          const keysOf = (name: string) =>
            new Set(
              calls.filter((c) => hashTagOf(c.keys[0] as string) === keySegment(name)).flatMap((c) => c.keys),
            );
          await once(store, first, async () => "first", { namespace });
          const again = await once(store, second, async () => "second", { namespace });
          expect(again.status).toBe(first === second ? "done" : "ran");
          await clearOnce(store, first, { namespace });
          expectConfined(calls, `${keySegment(namespace)}:`);
          for (const call of calls)
            expect([keySegment(first), keySegment(second)]).toContain(hashTagOf(call.keys[0] as string));
          if (first !== second) {
            const shared = [...keysOf(first)].filter((key) => keysOf(second).has(key));
            expect(shared).toEqual([]);
          }
        } finally {
          await store.close();
        }
      }),
      runs(800),
    );
  });
});
