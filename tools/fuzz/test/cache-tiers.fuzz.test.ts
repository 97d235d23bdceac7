import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Cache, createCache } from "@mcp-persist/cache-core";
import { freshPrefix, storeKinds, useRedis } from "@mcp-persist/test-kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { duration, fromTrap, isWellFormed, name, optionsOf, throwingProxy } from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { settledTyped, typedOutcome } from "./support/typed";
import { watchUnhandled } from "./support/unhandled";

reportInputs("cache tiers");

// `createCache({ l1, singleFlight })` on every store (the options are checked on lru too, where
// they take no effect; on Redis they start the first tier, the coherence channel and the fleet
// single-flight): any value gives a typed error or a cache whose `ready()` resolves and whose
// `wrap` returns fn's value, alone or in a stampede; and with two processes on one Redis, an
// invalidation in one reaches the other's first tier, whatever the namespace.

const redis = useRedis();
const unhandled = watchUnhandled();

const l1 = fc.oneof(
  fc.boolean(),
  optionsOf({ maxEntries: fc.integer({ min: 1, max: 1000 }), ttlMs: duration }),
  throwingProxy,
);
const singleFlight = fc.oneof(
  fc.constantFrom("process", "fleet", "Fleet", ""),
  optionsOf(
    {
      mode: fc.constant("fleet"),
      leaseTtlMs: fc.constantFrom(50, 5000, 2 ** 31 - 1),
      waitMs: fc.constantFrom(0, 100, 10_000),
      pollMs: fc.constantFrom(1, 100),
    },
    { required: ["mode"] },
  ),
  throwingProxy,
);
const tierOptions = optionsOf({ l1, singleFlight });

/** One call made twice (a miss, then a hit) must give fn's value both times. */
async function expectFnValue(cache: Cache, n: number): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const outcome = await settledTyped(() => cache.wrap({ tool: "t", args: { n } }, () => `value ${n}`));
    expect(outcome.ok && outcome.value).toBe(`value ${n}`);
  }
}

describe.each(storeKinds(redis))("createCache({ l1, singleFlight }) on $name", (kind) => {
  it("throws a typed error or makes a cache that is ready and returns fn's value", async () => {
    await fc.assert(
      fc.asyncProperty(tierOptions, async (options) => {
        tried1();
        const store = kind.open();
        try {
          const given =
            typeof options === "object" && options !== null && !Array.isArray(options)
              ? { ...options, store, defaultTtlMs: 60_000, storeTimeoutMs: 5000 }
              : options;
          const made = tally(
            "createCache",
            typedOutcome(() => createCache(given as never), fromTrap),
          );
          if (!made.ok) return;
          const cache = made.value;
          const ready = await settledTyped(() => cache.ready());
          expect(ready.ok, "ready() never rejects").toBe(true);
          await expectFnValue(cache, 1);
          // A stampede on one key: every caller gets the value, whether it ran fn or waited.
          const all = await Promise.all(
            Array.from({ length: 6 }, () =>
              settledTyped(() => cache.wrap({ tool: "t", args: { n: 2 } }, async () => "stampede")),
            ),
          );
          for (const outcome of all) expect(outcome.ok && outcome.value).toBe("stampede");
          await settledTyped(() => cache.invalidateTool("t"));
          await expectFnValue(cache, 3);
          expect(await unhandled.since()).toEqual([]);
        } finally {
          await store.close();
        }
      }),
      runs(kind.redis ? 60 : 250),
    );
  });
});

/** Any namespace, lone surrogates included: the coherence channel escapes it as keys do. */
const coherentNamespace = name;

describe.each(storeKinds(redis).filter((kind) => kind.redis))(
  "two processes' first tiers on $name",
  (kind) => {
    it("an invalidation in one process reaches the other's first tier, whatever the namespace", async () => {
      await fc.assert(
        fc.asyncProperty(
          coherentNamespace,
          fc.constantFrom("tool", "caller", "delete", "all"),
          async (namespace, how) => {
            tried1();
            const keyPrefix = freshPrefix();
            // Generations are re-read only every minute, and copies live a minute: only the channel can tell.
            const options = {
              namespace,
              defaultTtlMs: 600_000,
              storeTimeoutMs: 5000,
              generationRefreshMs: 60_000,
              l1: { ttlMs: 60_000 },
            };
            const a = createCache({ ...options, store: kind.open({ keyPrefix }) });
            const b = createCache({ ...options, store: kind.open({ keyPrefix }) });
            await Promise.all([a.ready(), b.ready()]);
            const key = { tool: "t", args: { q: randomUUID() }, caller: "alice" };
            expect(await a.wrap(key, () => "first")).toBe("first");
            expect(await b.wrap(key, () => "b computed")).toBe("first"); // shared through Redis
            expect(await a.wrap(key, () => "a again")).toBe("first"); // a first-tier hit
            if (how === "tool") await b.invalidateTool("t");
            else if (how === "caller") await b.invalidateCaller("alice");
            else if (how === "delete") await b.delete(key);
            else await b.invalidateAll();
            const deadline = Date.now() + 5000;
            let seen = await a.wrap(key, () => "fresh");
            while (seen === "first" && Date.now() < deadline) {
              await sleep(5);
              seen = await a.wrap(key, () => "fresh");
            }
            expect(seen, `a's first tier still served the old value after ${how} in b`).toBe("fresh");
            await Promise.all([a.store.close(), b.store.close()]);
          },
        ),
        runs(25),
      );
    });
  },
);
