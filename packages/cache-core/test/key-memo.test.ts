import { toolKey } from "@mcp-persist/keys";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REMEMBERED_CALLERS, rememberBounded } from "../src/bounded-map";
import { KeyLayout } from "../src/cache-key";
import { Generations } from "../src/generations";
import { hashedUnits, plainJsonHash, sameJson } from "../src/json-identity";

const layout = () =>
  new KeyLayout(
    { namespace: "mcp", hashTag: false, digestBytes: undefined, maxArgsLength: undefined },
    () => ({
      policy: { ttlMs: 60_000, staleTtlMs: 0, isError: () => false },
      requireCaller: false,
    }),
  );

describe("the tool-call key memo", () => {
  it("gives exactly toolKey's key for any arguments, first time and from the memo (property)", () => {
    const keys = layout();
    const args = fc.oneof(
      fc.jsonValue(),
      fc.anything({ withDate: true, withMap: true, withSet: true, withBigInt: true }),
    );
    const caller = fc.option(
      fc.oneof(fc.string({ minLength: 1 }), fc.record({ user: fc.string({ minLength: 1 }) })),
      {
        nil: undefined,
      },
    );
    fc.assert(
      fc.property(args, caller, (a, s) => {
        let expected: string;
        try {
          expected = toolKey({ tool: "t", args: a, caller: s });
        } catch {
          return; // not keyable: the cache bypasses such calls
        }
        const tool = keys.tool("t");
        expect(keys.callKey({ tool: "t", args: a, caller: s }, tool).key).toBe(expected);
        expect(keys.callKey({ tool: "t", args: structuredClone(a), caller: s }, tool).key).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("never lets JSON's blind spots map two different calls to one key", () => {
    const keys = layout();
    const pairs: [unknown, unknown][] = [
      [{ at: new Date(0) }, { at: new Date(0).toISOString() }],
      [[undefined], [null]],
      [{ n: Number.NaN }, { n: null }],
      [{ n: -0 }, { n: 0 }],
      [{ m: new Map([["a", 1]]) }, { m: {} }],
    ];
    for (const [a, b] of pairs) {
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      const first = keys.callKey({ tool: "t", args: b }, keys.tool("t")).key;
      expect(keys.callKey({ tool: "t", args: a }, keys.tool("t")).key).not.toBe(first);
    }
  });

  it("recognises plain JSON, and only that", () => {
    expect(plainJsonHash({ a: [1, "x", true, null, { b: 2.5 }], skipped: undefined })).toBeTypeOf("number");
    for (const value of [undefined, [undefined], -0, Number.NaN, 1n, new Date(), new Map(), () => 1, [, 1]]) {
      expect(plainJsonHash(value)).toBeUndefined();
    }
    class Point {
      x = 1;
    }
    expect(plainJsonHash({ p: new Point() })).toBeUndefined();
    expect(plainJsonHash("x".repeat(5000))).toBeUndefined();
  });

  it("compares plain JSON ignoring key order and undefined members, and nothing else", () => {
    expect(sameJson({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1, d: undefined })).toBe(true);
    for (const other of [
      { a: 1 },
      { a: 1, b: [1, { c: "y" }] },
      { a: 1, b: [1, { c: "x" }], e: 0 },
      { a: "1", b: [1, { c: "x" }] },
    ]) {
      expect(sameJson({ a: 1, b: [1, { c: "x" }] }, other)).toBe(false);
    }
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
  });

  it("tells apart calls whose structural hashes collide", () => {
    const keys = layout();
    const tool = keys.tool("t");
    const a = keys.callKey({ tool: "t", args: { q: "a" } }, tool);
    // Force a collision: plant the first resolution under the second call's hash.
    const hash = plainJsonHash({ q: "b" }) as number;
    tool.memo.set(hash, tool.memo.get(plainJsonHash({ q: "a" }) as number) as never);
    const b = keys.callKey({ tool: "t", args: { q: "b" } }, tool);
    expect(b.key).not.toBe(a.key);
    expect(b.key).toBe(toolKey({ tool: "t", args: { q: "b" } }));
  });

  it("keeps its own copy: mutating the caller's arguments later changes nothing", () => {
    const keys = layout();
    const tool = keys.tool("t");
    const args = { q: "a" };
    const first = keys.callKey({ tool: "t", args }, tool).key;
    args.q = "b";
    expect(keys.callKey({ tool: "t", args }, tool).key).toBe(toolKey({ tool: "t", args: { q: "b" } }));
    expect(keys.callKey({ tool: "t", args: { q: "a" } }, tool).key).toBe(first);
  });

  it("stays within its bound, dropping its oldest entries first", () => {
    const memo = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      rememberBounded(memo, i, i, 64);
      expect(memo.size).toBeLessThanOrEqual(64);
      expect(memo.get(i)).toBe(i);
    }
    const kept = [...memo.keys()];
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(kept.at(-1)).toBe(999);
    expect(kept.length).toBeGreaterThanOrEqual(64 - 8);
  });
});

describe("per-caller memos keep REMEMBERED_CALLERS callers", () => {
  // A memo that keeps an entry gives the same object back: what it forgot is made again.
  it("a tool's resolved calls: one per caller, then the oldest go", () => {
    const keys = layout();
    const tool = keys.tool("get_profile");
    const call = (caller: string) => keys.callKey({ tool: "get_profile", args: {}, caller }, tool);
    const first = call("c0");
    for (let i = 1; i < REMEMBERED_CALLERS; i++) call(`c${i}`);
    expect(call("c0")).toBe(first);
    call("one-more");
    const again = call("c0");
    expect(again).not.toBe(first);
    expect(again.key).toBe(first.key);
  });

  it("a tool's resolved calls are bounded by the size of the arguments they copy, too", () => {
    const keys = layout();
    const tool = keys.tool("t");
    const text = "x".repeat(4000);
    const call = (i: number) => keys.callKey({ tool: "t", args: { i, text } }, tool);
    const first = call(0);
    for (let i = 1; i < 3000; i++) call(i);
    // About 4 Mi units in all at most: ~1000 calls of 4000 characters, far fewer than the count allows.
    expect(tool.memoUnits).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(tool.memo.size).toBeLessThan(1100);
    expect(tool.memo.size).toBeGreaterThan(800);
    let units = 0;
    for (const entry of tool.memo.values()) units += (entry as { units: number }).units;
    expect(tool.memoUnits).toBe(units);
    expect(call(2999)).toBe(call(2999));
    expect(call(0)).not.toBe(first);
  });

  it("counts an array's items in the size of what it copies, numbers included", () => {
    expect(plainJsonHash(new Array(5000).fill(7))).toBeUndefined();
    plainJsonHash({ xs: new Array(1000).fill(7) });
    expect(hashedUnits()).toBeGreaterThan(1000);
    const keys = layout();
    const tool = keys.tool("t");
    for (let i = 0; i < 3000; i++)
      keys.callKey({ tool: "t", args: { i, xs: new Array(4000).fill(i) } }, tool);
    expect(tool.memoUnits).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(tool.memo.size).toBeLessThan(1100);
  });

  it("generation counters: one per caller scope, and the namespace's", async () => {
    let reads = 0;
    const generations = new Generations(
      async () => {
        reads++;
        return "1";
      },
      60_000,
      { now: () => 1 },
    );
    for (let i = 0; i < REMEMBERED_CALLERS; i++) await generations.fetch(["ns", `s${i}`]);
    expect(reads).toBe(REMEMBERED_CALLERS + 1);
    expect(generations.current(["ns", "s0"], 1)).toBe("1.1");
  });
});
