import { type Codec, defaultCodec } from "@mcp-persist/cache-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyTree } from "../src/decoded-values";
import { setup, upstream } from "./support";

/** A tool result with nesting at every level: what callers might mutate. */
function searchResult(n: number) {
  return {
    content: [{ type: "text", text: `${n} results` }],
    structuredContent: {
      results: [
        { id: `doc-${n}-a`, tags: ["how-to", "redis"], score: 0.5 },
        { id: `doc-${n}-b`, tags: [], score: 1e21 },
      ],
      page: { next: null, size: 2 },
    },
  };
}

/** Every object and array reachable from `value`. */
function containers(value: unknown, into: Set<object> = new Set()): Set<object> {
  if (typeof value === "object" && value !== null && !into.has(value)) {
    into.add(value);
    for (const member of Object.values(value)) containers(member, into);
  }
  return into;
}

/** Mutates a search result at every depth, the ways a careless handler might. */
function vandalise(value: ReturnType<typeof searchResult>): void {
  value.content.push({ type: "text", text: "added" });
  const first = value.structuredContent.results[0];
  if (first !== undefined) {
    first.tags.push("mutated");
    first.id = "changed";
  }
  value.structuredContent.results.pop();
  (value.structuredContent.page as Record<string, unknown>).next = "x";
  delete (value as Partial<typeof value>).content;
}

describe("hits: a value of the caller's own, equal to what the store holds", () => {
  it("gives every hit its own value: mutating one, at any depth, changes no later hit", async () => {
    const { cache } = setup();
    const search = upstream((n) => searchResult(n));
    const call = () => cache.wrap({ tool: "search", args: { q: "mcp" } }, search.fn);
    const expected = searchResult(1);
    const seen: Set<object>[] = [];
    const first = await call();
    seen.push(containers(first));
    vandalise(first);
    // The first hit decodes the entry, later hits copy what it decoded: each is checked, then spoilt.
    for (let hit = 0; hit < 4; hit++) {
      const value = await call();
      expect(value).toStrictEqual(expected);
      const mine = containers(value);
      for (const earlier of seen) for (const object of mine) expect(earlier.has(object)).toBe(false);
      seen.push(mine);
      vandalise(value);
    }
    expect(search.calls).toBe(1);
  });

  it("returns what decoding the stored text returns, member for member and in order", async () => {
    const { cache } = setup();
    const text = JSON.stringify({
      "2": "two",
      b: 1,
      "1": [true, null, -1.5, 5e-324, 1e21, ""],
      a: { "": "empty key", é: "ü 😀", lone: "\ud83d" },
    }).replace("{", '{"__proto__":{"own":true},');
    const stored = JSON.parse(text) as Record<string, unknown>;
    await cache.wrap("k", () => stored);
    for (let hit = 0; hit < 3; hit++) {
      const value = (await cache.wrap<unknown>("k", () => "wrong")) as Record<string, unknown>;
      const parsed = JSON.parse(text) as Record<string, unknown>;
      expect(value).toStrictEqual(parsed);
      expect(Object.keys(value)).toEqual(Object.keys(parsed));
      expect(Object.keys(value.a as object)).toEqual(Object.keys(parsed.a as object));
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.hasOwn(value, "__proto__")).toBe(true);
      expect((value as { own?: boolean }).own).toBeUndefined();
    }
  });

  it("reads an entry written again, or invalidated, afresh", async () => {
    const { cache } = setup();
    const f = upstream((n) => ({ version: n, items: [n] }));
    expect(await cache.wrap("k", f.fn)).toEqual({ version: 1, items: [1] });
    expect(await cache.wrap("k", f.fn)).toEqual({ version: 1, items: [1] });
    await cache.delete("k");
    expect(await cache.wrap("k", f.fn)).toEqual({ version: 2, items: [2] });
    expect(await cache.wrap("k", f.fn)).toEqual({ version: 2, items: [2] });
    await cache.invalidateAll();
    expect(await cache.wrap("k", f.fn)).toEqual({ version: 3, items: [3] });
    expect(await cache.wrap("k", f.fn)).toEqual({ version: 3, items: [3] });
  });

  it("calls a custom codec's decode on every hit", async () => {
    let decoded = 0;
    const codec: Codec = {
      encode: (value) => defaultCodec.encode(value),
      decode: (text) => {
        decoded++;
        return defaultCodec.decode(text);
      },
    };
    const { cache } = setup({ codec });
    const f = upstream(() => ({ list: [1, 2] }));
    await cache.wrap("k", f.fn);
    const hits = [await cache.wrap("k", f.fn), await cache.wrap("k", f.fn), await cache.wrap("k", f.fn)];
    expect(decoded).toBe(3);
    expect(new Set(hits).size).toBe(3);
  });

  it("revives values JSON cannot say on every hit, each a value of its own", async () => {
    const { cache } = setup();
    const value = { at: new Date(0), tags: new Set(["a"]), nested: { list: [1n] } };
    await cache.wrap("k", () => value);
    const first = (await cache.wrap<unknown>("k", () => null)) as typeof value;
    first.at.setTime(5);
    first.tags.add("b");
    first.nested.list.push(2n);
    expect(await cache.wrap("k", () => null)).toStrictEqual(value);
  });

  it("returns results nested too deep to copy whole and apart", async () => {
    const { cache } = setup();
    let deep: unknown[] = ["bottom"];
    for (let i = 0; i < 300; i++) deep = [deep];
    await cache.wrap("k", () => deep);
    const first = (await cache.wrap<unknown>("k", () => null)) as unknown[];
    const second = (await cache.wrap<unknown>("k", () => null)) as unknown[];
    expect(second).toStrictEqual(deep);
    expect(second).not.toBe(first);
    first.push("mutated");
    expect(await cache.wrap("k", () => null)).toStrictEqual(deep);
  });

  it("reads every entry right when there are more, and larger, than it keeps decoded", async () => {
    const { cache } = setup();
    const big = { text: "x".repeat(70_000) };
    await cache.wrap("big", () => big);
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    for (const key of keys) await cache.wrap(key, () => ({ key, list: [key] }));
    for (let round = 0; round < 2; round++) {
      for (const key of keys) expect(await cache.wrap(key, () => null)).toStrictEqual({ key, list: [key] });
      const value = (await cache.wrap<unknown>("big", () => null)) as typeof big;
      expect(value).toStrictEqual(big);
      value.text = "";
    }
  });
});

describe("copyTree", () => {
  it("copies a parsed tree into an equal one that shares no object with it (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const tree: unknown = JSON.parse(text);
        if (typeof tree !== "object" || tree === null) return;
        const copy = copyTree(tree);
        expect(copy).toStrictEqual(JSON.parse(text));
        const original = containers(tree);
        for (const object of containers(copy)) expect(original.has(object)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
