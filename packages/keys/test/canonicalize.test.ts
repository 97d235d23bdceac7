import { canonicalize, KeyError } from "@mcp-persist/keys";
import { describe, expect, it } from "vitest";

describe("canonicalize", () => {
  it("gives the guides' example one key whatever the argument order", () => {
    expect(canonicalize({ limit: 5, query: "mcp monitoring" })).toBe(
      canonicalize({ query: "mcp monitoring", limit: 5 }),
    );
    expect(canonicalize({ limit: 5, query: "mcp monitoring" })).toBe('{"limit":5,"query":"mcp monitoring"}');
  });

  it("sorts keys at every depth and keeps array order", () => {
    const a = { z: { b: [3, 1, { y: 1, x: 2 }], a: null } };
    const b = { z: { a: null, b: [3, 1, { x: 2, y: 1 }] } };
    expect(canonicalize(a)).toBe(canonicalize(b));
    expect(canonicalize([1, 2])).not.toBe(canonicalize([2, 1]));
  });

  it("writes JSON data exactly as JSON with sorted keys", () => {
    const value = { b: 'é\n"q"', a: [1.5, -2e-7, 1e21, true, null], c: { "": 0 } };
    expect(canonicalize(value)).toBe(JSON.stringify({ a: value.a, b: value.b, c: value.c }));
  });

  it("omits undefined object members, as JSON does", () => {
    expect(canonicalize({ a: 1, b: undefined })).toBe(canonicalize({ a: 1 }));
  });

  // Each pair is what a JSON-based key would silently merge.
  it.each([
    ["NaN vs null", Number.NaN, null],
    ["Infinity vs null", Number.POSITIVE_INFINITY, null],
    ["-Infinity vs Infinity", Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    ["-0 vs 0", -0, 0],
    ["1n vs 1", 1n, 1],
    ['1n vs "1"', 1n, "1"],
    ['1 vs "1"', 1, "1"],
    ["Map vs {}", new Map([["a", 1]]), {}],
    ["Map vs object with the same entries", new Map([["a", 1]]), { a: 1 }],
    ["Set vs array", new Set([1, 2]), [1, 2]],
    ["Set vs {}", new Set([1]), {}],
    ["Date vs its ISO string", new Date(0), new Date(0).toISOString()],
    ["Date vs its time", new Date(0), 0],
    ["[undefined] vs [null]", [undefined], [null]],
    ["hole vs null", [, 1], [null, 1]],
    ["Map key 1 vs '1'", new Map([[1, "x"]]), new Map([["1", "x"]])],
    ["Map value undefined vs absent", new Map([["a", undefined]]), new Map()],
    ["__proto__ member vs none", JSON.parse('{"__proto__":{"x":1}}'), {}],
    ["bytes vs array", new Uint8Array([1, 2]), [1, 2]],
    ["Uint8Array vs Int8Array", new Uint8Array([1]), new Int8Array([1])],
    ["string with quote vs two strings", ['a","b'], ["a", "b"]],
  ])("keeps %s apart", (_, a, b) => {
    expect(canonicalize(a)).not.toBe(canonicalize(b));
  });

  it("orders Map entries and Set members canonically", () => {
    expect(
      canonicalize(
        new Map<unknown, unknown>([
          ["b", 2],
          [{ y: 1, x: 0 }, 1],
        ]),
      ),
    ).toBe(
      canonicalize(
        new Map<unknown, unknown>([
          [{ x: 0, y: 1 }, 1],
          ["b", 2],
        ]),
      ),
    );
    expect(canonicalize(new Set([3, 1, 2]))).toBe(canonicalize(new Set([2, 3, 1])));
  });

  it("treats __proto__ and constructor keys as plain data, without touching any prototype", () => {
    const parsed = JSON.parse(
      '{"constructor":{"prototype":{"polluted":true}},"__proto__":{"polluted":true}}',
    );
    expect(canonicalize(parsed)).toBe(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(canonicalize(Object.assign(Object.create(null), { b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
  });

  it("serialises what toJSON returns, and accepts shared (acyclic) references", () => {
    expect(canonicalize({ at: new URL("https://example.test/a") })).toBe('{"at":"https://example.test/a"}');
    const shared = { id: 1 };
    expect(canonicalize([shared, shared])).toBe('[{"id":1},{"id":1}]');
  });
});

describe("canonicalize rejects what cannot be a key", () => {
  const expectKeyError = (value: unknown, code: string, path: (string | number)[] = [], options = {}) => {
    let thrown: unknown;
    try {
      canonicalize(value, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KeyError);
    expect(thrown).toMatchObject({ code, path });
    expect(String((thrown as Error).message)).toMatch(/^\[@mcp-persist\/keys\] /);
  };

  it("reports a cycle with its path, through objects, arrays, Maps and Sets", () => {
    const object: Record<string, unknown> = { a: 1 };
    object.self = object;
    expectKeyError(object, "ERR_KEY_CYCLE", ["self"]);

    const array: unknown[] = [1];
    array.push({ back: array });
    expectKeyError({ list: array }, "ERR_KEY_CYCLE", ["list", 1, "back"]);

    const map = new Map<string, unknown>();
    map.set("m", map);
    expectKeyError(map, "ERR_KEY_CYCLE", [0]);

    const set = new Set<unknown>();
    set.add([set]);
    expectKeyError(set, "ERR_KEY_CYCLE", [0, 0]);
    expect(() => canonicalize(object)).toThrow(/args\.self: the value is cyclic/);
  });

  it("rejects functions, symbols and class instances with their path", () => {
    expectKeyError({ f: { g: () => 1 } }, "ERR_KEY_UNSUPPORTED_TYPE", ["f", "g"]);
    expectKeyError([Symbol("s")], "ERR_KEY_UNSUPPORTED_TYPE", [0]);
    expectKeyError({ w: new WeakMap() }, "ERR_KEY_UNSUPPORTED_TYPE", ["w"]);
    class Point {
      x = 1;
    }
    expectKeyError({ "odd key": new Point() }, "ERR_KEY_UNSUPPORTED_TYPE", ["odd key"]);
    expect(() => canonicalize({ p: new Point() })).toThrow(/a Point instance is not serialisable/);
  });

  it("rejects values over maxLength, including huge sparse arrays, without building them", () => {
    expectKeyError("x".repeat(101), "ERR_KEY_TOO_LARGE", [], { maxLength: 100 });
    expectKeyError({ a: "x".repeat(60), b: "y".repeat(60) }, "ERR_KEY_TOO_LARGE", [], { maxLength: 100 });
    expectKeyError(new Array(2 ** 31), "ERR_KEY_TOO_LARGE");
    expect(canonicalize("x".repeat(98), { maxLength: 100 })).toHaveLength(100);
  });

  it("stops a value built from shared references that would expand exponentially", () => {
    let value: unknown = "leaf";
    for (let level = 0; level < 40; level++) value = [value, value];
    expectKeyError(value, "ERR_KEY_TOO_LARGE");
  });

  it("rejects deep nesting with a KeyError, not a stack overflow", () => {
    let deep: unknown = 0;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expectKeyError(deep, "ERR_KEY_TOO_DEEP", new Array(64).fill(0));
    expect(canonicalize([[1]], { maxDepth: 2 })).toBe("[[1]]");
    expectKeyError([[[1]]], "ERR_KEY_TOO_DEEP", [0, 0], { maxDepth: 2 });
  });

  it("rejects bad options", () => {
    for (const maxLength of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectKeyError({}, "ERR_INVALID_OPTION", [], { maxLength });
    }
  });
});
