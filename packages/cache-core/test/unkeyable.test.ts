import { InvalidOptionError } from "@mcp-persist/cache-core";
import { describe, expect, it } from "vitest";
import { recordingLogger, setup, upstream } from "./support";

// User text cut mid-emoji leaves a lone UTF-16 surrogate: no key can be built from it.
const CUT = "search:café \uD83D";

describe("wrap: text cut mid-emoji is a key like any other", () => {
  it("caches a string key, tool name, version or caller holding a lone surrogate, apart from look-alikes", async () => {
    const { cache } = setup();
    const f = upstream((n) => `result ${n}`);
    const keys = [
      CUT,
      "search:café \uFFFD", // what a UTF-8 round trip would turn CUT into: must not share its entry
      "search:café 😀",
      { tool: "search_\uDE00", args: { q: "a" } },
      { tool: "search", args: { q: "a" }, version: "v\uD83D" },
      { tool: "search", args: { q: "a" }, caller: "alice \uD83D" },
      { tool: "search", args: { q: "a" }, caller: "alice \uFFFD" },
    ];
    const first = [];
    for (const key of keys) first.push(await cache.wrap(key, f.fn));
    const again = [];
    for (const key of keys) again.push(await cache.wrap(key, f.fn));
    expect(new Set(first).size).toBe(keys.length);
    expect(again).toEqual(first);
    expect(f.calls).toBe(keys.length);
    expect(cache.stats().total.bypass.unkeyable).toBe(0);
  });

  it("serves a result holding a lone surrogate back exactly", async () => {
    const { cache } = setup();
    const cut = { content: [{ type: "text", text: "café \uD83D" }] };
    await cache.wrap(CUT, async () => cut);
    expect(await cache.wrap(CUT, async () => ({ content: [] }))).toStrictEqual(cut);
  });

  it("accepts such a namespace, apart from its look-alike", async () => {
    const { store } = setup();
    const a = setup({ store, namespace: "ns\uD800" }).cache;
    const b = setup({ store, namespace: "ns\uFFFD" }).cache;
    await a.wrap("k", async () => "a");
    expect(await b.wrap("k", async () => "b")).toBe("b");
    expect(await a.wrap("k", async () => "WRONG")).toBe("a");
  });
});

describe("wrap: keys it cannot build go around the cache", () => {
  it("calls fn, returns its result and reports a bypass with a reason", async () => {
    const { logger, lines } = recordingLogger(false);
    const { cache, events } = setup({ logger });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const throwing = {
      get boom(): never {
        throw new Error("getter threw");
      },
    };
    const f = upstream((n) => n);
    const calls = [
      { tool: "search", args: { q: "a" }, caller: { user: 5n as unknown as string } },
      { tool: "search", args: { q: "a" }, caller: Object.create(null) },
      { tool: "search", args: cyclic },
      { tool: "search", args: throwing },
      { tool: "", args: {} },
    ];
    for (const call of calls) await cache.wrap(call, f.fn);
    for (const call of calls) await cache.wrap(call, f.fn);
    expect(await cache.wrap("", f.fn, { tool: "search" })).toBe(11);
    expect(f.calls).toBe(11);
    const stats = cache.stats();
    expect(stats.tools.search?.bypass.unkeyable).toBe(9);
    expect(stats.tools[""]?.bypass.unkeyable).toBe(2);
    expect(stats.total).toMatchObject({ hits: 0, misses: 0 });
    expect(events).toContainEqual({ type: "bypass", tool: "search", logId: undefined, reason: "unkeyable" });
    const warning = lines.find((line) => line.level === "warn");
    expect(warning?.msg).toBe("cache bypassed: the call cannot be keyed");
    expect(warning?.obj).toMatchObject({
      event: "cache_unkeyable",
      tool: "search",
      code: "ERR_KEY_INVALID_SCOPE",
    });
    expect(Object.keys(warning?.obj ?? {}).sort()).toEqual(["code", "event", "tool"]);
  });

  it("logs the KeyError's code, never the member names or values on its path", async () => {
    const { logger, lines } = recordingLogger(false);
    const { cache, clock } = setup({ logger });
    const cyclic: Record<string, unknown> = { secretValue: "secret-value" };
    cyclic.secretName = cyclic;
    let deep: unknown = "secret-value";
    for (let i = 0; i < 100; i++) deep = { secretName: deep };
    const unkeyable = [{ secretName: () => "secret-value" }, cyclic, deep, { secretName: [1, Symbol("s")] }];
    for (const args of unkeyable) {
      expect(await cache.wrap({ tool: "search", args }, () => "ok")).toBe("ok");
      clock.advance(60_000); // past the warning's throttle: each one is logged
    }
    const warnings = lines.filter((line) => line.obj.event === "cache_unkeyable");
    expect(warnings).toHaveLength(unkeyable.length);
    for (const warning of warnings) {
      expect(Object.keys(warning.obj).sort()).toEqual(["code", "event", "tool"]);
      expect(warning.obj.code).toMatch(/^ERR_KEY_/);
      expect(JSON.stringify(warning)).not.toMatch(/secret/);
    }
  });

  it("rejects a key that is no key at all with a typed error, whatever it is", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    for (const key of [Object.create(null), 5n, Symbol("k"), null, { tool: 5n, args: {} }, [CUT]]) {
      const call = cache.wrap(key as never, f.fn);
      await expect(call).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(call).rejects.toThrow(/\[@mcp-persist\/cache-core\] wrap\(\) takes a string key/);
    }
    expect(f.calls).toBe(0);
  });
});
