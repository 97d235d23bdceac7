import { createCache, InvalidOptionError, InvalidTtlError } from "@mcp-persist/cache-core";
import { memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { recordingLogger, recordingStore, setup, upstream } from "./support";

describe("wrap: hits and misses", () => {
  it("serves a repeated call from the cache without calling fn again", async () => {
    const { cache } = setup();
    const search = upstream((n) => ({ content: [{ type: "text", text: `result ${n}` }] }));
    const first = await cache.wrap({ tool: "search_docs", args: { query: "mcp" } }, search.fn);
    const second = await cache.wrap({ tool: "search_docs", args: { query: "mcp" } }, search.fn);
    expect(search.calls).toBe(1);
    expect(second).toEqual(first);
    expect(second).not.toBe(first); // decoded afresh: callers cannot corrupt each other's result
  });

  it("ignores argument order at any depth", async () => {
    const { cache } = setup();
    const search = upstream((n) => n);
    await cache.wrap({ tool: "t", args: { a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } } }, search.fn);
    const again = await cache.wrap(
      { tool: "t", args: { b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 } },
      search.fn,
    );
    expect(again).toBe(1);
    expect(search.calls).toBe(1);
  });

  it("keeps different arguments, tools and versions apart", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    const results = [
      await cache.wrap({ tool: "t", args: { q: 1 } }, f.fn),
      await cache.wrap({ tool: "t", args: { q: 2 } }, f.fn),
      await cache.wrap({ tool: "u", args: { q: 1 } }, f.fn),
      await cache.wrap({ tool: "t", args: { q: 1 }, version: "v2" }, f.fn),
      await cache.wrap({ tool: "t", args: { q: "1" } }, f.fn),
    ];
    expect(results).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps two callers' results apart by caller, and shares results without one", async () => {
    const { cache } = setup();
    const profile = (user: string) => () => Promise.resolve({ user, secret: `${user}'s data` });
    const alice = await cache.wrap({ tool: "get_profile", args: {}, caller: "alice" }, profile("alice"));
    const bob = await cache.wrap({ tool: "get_profile", args: {}, caller: "bob" }, profile("bob"));
    const aliceAgain = await cache.wrap({ tool: "get_profile", args: {}, caller: "alice" }, profile("WRONG"));
    const bobObject = await cache.wrap(
      { tool: "get_profile", args: {}, caller: { user: "bob" } },
      profile("bob-obj"),
    );
    expect([alice.user, bob.user, aliceAgain.user, bobObject.user]).toEqual([
      "alice",
      "bob",
      "alice",
      "bob-obj",
    ]);
  });

  it("treats a string key as its own entry in the cache's namespace", async () => {
    const store = memoryStore();
    const a = createCache({ store, defaultTtlMs: 60_000, namespace: "a" });
    const b = createCache({ store, defaultTtlMs: 60_000, namespace: "b" });
    const f = upstream((n) => n);
    expect(await a.wrap("user:123", f.fn)).toBe(1);
    expect(await a.wrap("user:123", f.fn)).toBe(1);
    expect(await b.wrap("user:123", f.fn)).toBe(2);
    expect(await a.wrap("user:124", f.fn)).toBe(3);
  });

  it("round-trips rich values (Date, BigInt, Map, Set, undefined in arrays) through the store", async () => {
    const { cache } = setup();
    const value = {
      at: new Date(0),
      big: 2n ** 70n,
      m: new Map([["k", new Set([1])]]),
      list: [undefined, 1],
    };
    await cache.wrap("rich", () => value);
    const cached = await cache.wrap("rich", () => ({ wrong: true }));
    expect(cached).toEqual(value);
    expect(cached).not.toBe(value);
  });
});

describe("wrap: TTL", () => {
  it("expires an entry after its TTL, absolutely: hits do not extend it", async () => {
    const { cache, clock } = setup({ defaultTtlMs: 1000 });
    const f = upstream((n) => n);
    expect(await cache.wrap("k", f.fn)).toBe(1);
    clock.advance(600);
    expect(await cache.wrap("k", f.fn)).toBe(1);
    clock.advance(600); // 1200 ms after the write, 600 after the last hit
    expect(await cache.wrap("k", f.fn)).toBe(2);
  });

  it("takes a per-call ttlMs over the default", async () => {
    const { cache, clock } = setup({ defaultTtlMs: 60_000 });
    const f = upstream((n) => n);
    await cache.wrap("k", f.fn, { ttlMs: 100 });
    clock.advance(150);
    expect(await cache.wrap("k", f.fn, { ttlMs: 100 })).toBe(2);
  });

  it("rejects a bad per-call TTL with a typed error before calling fn", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    for (const ttlMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, "100" as unknown as number]) {
      const call = cache.wrap({ tool: "t", args: {} }, f.fn, { ttlMs });
      await expect(call).rejects.toBeInstanceOf(InvalidTtlError);
      await expect(call).rejects.toMatchObject({ code: "ERR_INVALID_TTL" });
    }
    await expect(cache.wrap("k", f.fn, { ttlMs: -5 })).rejects.toThrow(
      "[@mcp-persist/cache-core] ttlMs must be a positive finite number of milliseconds, got -5",
    );
    expect(f.calls).toBe(0);
  });

  it("rejects bad cache options with typed errors", () => {
    const store = memoryStore();
    expect(() => createCache({ store, defaultTtlMs: 0 })).toThrow(InvalidTtlError);
    expect(() => createCache({ store, defaultTtlMs: undefined as unknown as number })).toThrow(
      InvalidTtlError,
    );
    expect(() => createCache({ store, defaultTtlMs: 1000, jitter: 1 })).toThrow(InvalidOptionError);
    expect(() => createCache({ store, defaultTtlMs: 1000, storeTimeoutMs: 0 })).toThrow(InvalidOptionError);
    expect(() => createCache({ store, defaultTtlMs: 1000, staleTtlMs: -1 })).toThrow(InvalidOptionError);
    expect(() => createCache({ store, defaultTtlMs: 1000, namespace: "" })).toThrow(InvalidOptionError);
    expect(() => createCache({ store: undefined as never, defaultTtlMs: 1000 })).toThrow(InvalidOptionError);
  });

  it("takes jitter off TTLs, never adding to them", async () => {
    const { store, ttls } = recordingStore(memoryStore());
    const cache = createCache({ store, defaultTtlMs: 1000, jitter: 0.5 });
    for (let i = 0; i < 200; i++) await cache.wrap(`k${i}`, () => i);
    expect(ttls).toHaveLength(200);
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(1000);
    expect(new Set(ttls).size).toBeGreaterThan(10);
  });

  it("stores entries for TTL plus the grace window", async () => {
    const { store, ttls } = recordingStore(memoryStore());
    const cache = createCache({ store, defaultTtlMs: 1000, staleTtlMs: 5000 });
    await cache.wrap("k", () => 1);
    await cache.wrap("k2", () => 1, { ttlMs: 10.2, staleTtlMs: 0 });
    expect(ttls).toEqual([6000, 11]);
  });
});

describe("wrap: what is never cached", () => {
  it("does not cache a thrown error", async () => {
    const { cache } = setup();
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new Error("upstream down");
      return "ok";
    };
    await expect(cache.wrap("k", flaky)).rejects.toThrow("upstream down");
    expect(await cache.wrap("k", flaky)).toBe("ok");
    expect(await cache.wrap("k", flaky)).toBe("ok");
    expect(calls).toBe(2);
  });

  it("does not cache MCP error results (isError: true), nor what a custom predicate rejects", async () => {
    const { cache } = setup();
    const failing = upstream((n) => ({ content: [{ type: "text", text: `failed ${n}` }], isError: true }));
    await cache.wrap({ tool: "t", args: {} }, failing.fn);
    const second = await cache.wrap({ tool: "t", args: {} }, failing.fn);
    expect(second.content[0]?.text).toBe("failed 2");
    const custom = upstream((n) => ({ status: n === 1 ? 500 : 200 }));
    const isError = (value: { status: number }) => value.status >= 500;
    await cache.wrap("s", custom.fn, { isError });
    await cache.wrap("s", custom.fn, { isError });
    await cache.wrap("s", custom.fn, { isError });
    expect(custom.calls).toBe(2);
    expect(cache.stats().total.bypass["error-result"]).toBe(3);
  });

  it("returns the tool's value uncached, with a warning, when the isError predicate throws", async () => {
    const { logger, lines } = recordingLogger();
    class NotAPredicate {}
    const { cache } = setup({ isError: NotAPredicate as never, logger });
    const f = upstream((n) => ({ n }));
    expect(await cache.wrap("k", f.fn)).toEqual({ n: 1 });
    expect(await cache.wrap("k", f.fn)).toEqual({ n: 2 });
    const strict = upstream((n) => n);
    const throwing = () => {
      throw new Error("predicate bug");
    };
    expect(await cache.wrap("s", strict.fn, { isError: throwing, staleTtlMs: 1000 })).toBe(1);
    expect(await cache.wrap("s", strict.fn, { isError: throwing })).toBe(2);
    expect(cache.stats().total.bypass["error-result"]).toBe(4);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        obj: expect.objectContaining({ event: "cache_is_error_failed" }),
      }),
    );
  });

  it("goes around the cache when the call says bypass", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    await cache.wrap("k", f.fn);
    expect(await cache.wrap("k", f.fn, { bypass: true })).toBe(2);
    expect(await cache.wrap("k", f.fn)).toBe(1);
    expect(cache.stats().tools._?.bypass.policy).toBe(1);
  });

  it("goes around the cache for per-caller tools called without a caller", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    await cache.wrap({ tool: "me", args: {} }, f.fn, { requireCaller: true });
    await cache.wrap({ tool: "me", args: {} }, f.fn, { requireCaller: true });
    await cache.wrap("me", f.fn, { requireCaller: true, tool: "me" });
    expect(f.calls).toBe(3);
    await cache.wrap({ tool: "me", args: {}, caller: "alice" }, f.fn, { requireCaller: true });
    await cache.wrap({ tool: "me", args: {}, caller: "alice" }, f.fn, { requireCaller: true });
    expect(f.calls).toBe(4);
    expect(cache.stats().tools.me?.bypass["no-scope"]).toBe(3);
  });

  it("returns values over maxValueBytes without storing them", async () => {
    const { cache } = setup({ maxValueBytes: 1000 });
    const big = upstream((n) => `${n}${"x".repeat(2000)}`);
    await cache.wrap("big", big.fn);
    expect((await cache.wrap("big", big.fn)).startsWith("2")).toBe(true);
    const multibyte = upstream(() => "é".repeat(600)); // 600 chars, 1200 UTF-8 bytes
    await cache.wrap("mb", multibyte.fn);
    await cache.wrap("mb", multibyte.fn);
    expect(multibyte.calls).toBe(2);
    expect(cache.stats().total.bypass["too-large"]).toBe(4);
  });

  it("returns values the codec refuses without storing them", async () => {
    const { cache } = setup();
    const f = upstream((n) => ({ n, callback: () => n }));
    await cache.wrap("fn", f.fn);
    expect((await cache.wrap("fn", f.fn)).n).toBe(2);
    expect(cache.stats().total.bypass.unencodable).toBe(2);
  });

  it("goes around the cache for arguments that cannot be keyed", async () => {
    const { cache } = setup();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const f = upstream((n) => n);
    expect(await cache.wrap({ tool: "t", args: cyclic }, f.fn)).toBe(1);
    expect(await cache.wrap({ tool: "t", args: { f: () => 1 } }, f.fn)).toBe(2);
    expect(await cache.wrap({ tool: "t", args: {}, caller: "" }, f.fn)).toBe(3);
    expect(cache.stats().tools.t?.bypass.unkeyable).toBe(3);
  });

  it("rejects a key that is neither a string nor a tool call", async () => {
    const { cache } = setup();
    await expect(cache.wrap({ args: {} } as never, () => 1)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(cache.wrap(null as never, () => 1)).rejects.toBeInstanceOf(InvalidOptionError);
  });
});

describe("requireCaller per cache and per tool", () => {
  const profile = (caller?: string) => ({ tool: "get_profile", args: {}, caller });

  it("with createCache({ requireCaller: true }), a call site that forgets the caller bypasses, not shares", async () => {
    const { cache } = setup({ requireCaller: true });
    const alice = await cache.wrap(profile("alice"), async () => "alice's profile");
    // This call site forgot the caller: it must not be served alice's result, nor store its own.
    expect(await cache.wrap(profile(), async () => "bob's profile")).toBe("bob's profile");
    expect(await cache.wrap(profile(), async () => "carol's profile")).toBe("carol's profile");
    expect(await cache.wrap("plain", async () => "dave's")).toBe("dave's");
    expect(await cache.wrap(profile("alice"), async () => "WRONG")).toBe(alice);
    expect(cache.stats().tools.get_profile?.bypass["no-scope"]).toBe(2);
    expect(cache.stats().tools._?.bypass["no-scope"]).toBe(1);
  });

  it("with tools: { name: { requireCaller: true } }, only that tool requires a caller", async () => {
    const { cache } = setup({ tools: { get_profile: { requireCaller: true } } });
    await cache.wrap(profile(), async () => "bob's profile");
    expect(await cache.wrap(profile(), async () => "carol's profile")).toBe("carol's profile");
    // A string key labelled with the tool follows the tool's policy too.
    await cache.wrap("me", async () => "erin's", { tool: "get_profile" });
    expect(await cache.wrap("me", async () => "frank's", { tool: "get_profile" })).toBe("frank's");
    // Other tools share unscoped results as before.
    await cache.wrap({ tool: "search", args: {} }, async () => "shared");
    expect(await cache.wrap({ tool: "search", args: {} }, async () => "WRONG")).toBe("shared");
    expect(cache.stats().tools.get_profile?.bypass["no-scope"]).toBe(4);
  });

  it("resolves call over tool over cache: an explicit false opens a public tool on a strict cache", async () => {
    const { cache } = setup({ requireCaller: true, tools: { search: { requireCaller: false } } });
    await cache.wrap({ tool: "search", args: {} }, async () => "shared");
    expect(await cache.wrap({ tool: "search", args: {} }, async () => "WRONG")).toBe("shared");
    await cache.wrap({ tool: "status", args: {} }, async () => "up", { requireCaller: false });
    expect(
      await cache.wrap({ tool: "status", args: {} }, async () => "WRONG", { requireCaller: false }),
    ).toBe("up");
    expect(await cache.wrap({ tool: "status", args: {} }, async () => "down")).toBe("down");
  });

  it("takes a per-tool TTL, and a call's own ttlMs over it", async () => {
    const { cache, clock } = setup({ defaultTtlMs: 60_000, tools: { quotes: { ttlMs: 1000 } } });
    const f = upstream((n) => n);
    await cache.wrap({ tool: "quotes", args: {} }, f.fn);
    await cache.wrap({ tool: "news", args: {} }, f.fn);
    await cache.wrap({ tool: "quotes", args: { long: true } }, f.fn, { ttlMs: 10_000 });
    clock.advance(1500);
    expect(await cache.wrap({ tool: "quotes", args: {} }, f.fn)).toBe(4);
    expect(await cache.wrap({ tool: "news", args: {} }, f.fn)).toBe(2);
    expect(await cache.wrap({ tool: "quotes", args: { long: true } }, f.fn, { ttlMs: 10_000 })).toBe(3);
  });

  it("rejects bad per-tool policies at createCache", () => {
    const store = memoryStore();
    const make = (tools: unknown) => () => createCache({ store, defaultTtlMs: 1000, tools: tools as never });
    expect(make({ t: { ttlMs: 0 } })).toThrow(InvalidTtlError);
    expect(make({ t: { ttlMs: 0 } })).toThrow("tools.t.ttlMs");
    expect(make({ t: { staleTtlMs: -1 } })).toThrow(InvalidOptionError);
    expect(make({ t: { requireCaller: "yes" } })).toThrow(InvalidOptionError);
    expect(make({ t: { requireCalle: true } })).toThrow(/unknown option "requireCalle"/);
    expect(make({ t: null })).toThrow(InvalidOptionError);
    expect(make([])).toThrow(InvalidOptionError);
    expect(() => createCache({ store, defaultTtlMs: 1000, requireCaller: 1 as never })).toThrow(
      InvalidOptionError,
    );
  });
});
