import {
  callerDigest,
  canonicalize,
  describeValue,
  digest,
  KeyError,
  keySegment,
  toolKey,
} from "@mcp-persist/keys";
import { describe, expect, it } from "vitest";

describe("describeValue", () => {
  it.each<[string, unknown, string]>([
    ["a string, quoted", "search", '"search"'],
    ["a BigInt", 5n, "5n"],
    ["-0", -0, "-0"],
    ["a symbol", Symbol("id"), "Symbol(id)"],
    ["a function", () => 1, "a function"],
    ["null", null, "null"],
    ["undefined", undefined, "undefined"],
    ["an array", [1, 2, 3], "an array (length 3)"],
    ["a plain object", { user: "a", tenant: "b" }, "an object with keys [user, tenant]"],
    ["Object.create(null)", Object.create(null), "an object with keys []"],
    ["a Date", new Date(0), "Date(0)"],
    ["a Map", new Map([[1, 2]]), "a Map (1 entry)"],
    ["a Set", new Set([1, 2]), "a Set (2 members)"],
    ["an error", new TypeError("boom"), 'TypeError("boom")'],
    ["a class instance", new (class Point {})(), "a Point instance"],
    [
      "a class instance whose name starts with a vowel",
      new (class EventEmitter {})(),
      "an EventEmitter instance",
    ],
  ])("renders %s", (_, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it("escapes and cuts what could flood or forge a log line", () => {
    expect(describeValue("a\nb\uD83D")).toBe('"a\\nb\\ud83d"');
    expect(describeValue("x".repeat(1000))).toBe(`"${"x".repeat(60)}"… (1000 characters)`);
    expect(describeValue(Symbol("a\nb"))).toBe("Symbol(a\\nb)");
    // JSON.stringify leaves the line and paragraph separators raw; a log viewer may break at them.
    expect(describeValue("a\u2028b\u2029c")).toBe('"a\\u2028b\\u2029c"');
    expect(describeValue(Symbol("a\u2028b"))).toBe("Symbol(a\\u2028b)");
    expect(describeValue(10n ** 100n)).toMatch(/^10{59}…n$/);
    const manyKeys = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(describeValue(manyKeys)).toBe("an object with keys [k0, k1, k2, k3, k4, … 45 more]");
  });

  it("never throws, even for values whose every read throws", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const trap = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    );
    const getter = Object.defineProperty(new Error("x"), "name", {
      get() {
        throw new Error("getter");
      },
    });
    for (const value of [proxy, trap, getter, { toString: undefined, valueOf: undefined }]) {
      expect(typeof describeValue(value)).toBe("string");
    }
    expect(describeValue(proxy)).toBe("an unreadable value");
  });
});

describe("building an error message never throws", () => {
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof KeyError) return { code: error.code, message: error.message };
      throw error;
    }
    throw new Error("expected a KeyError");
  };

  it("reports a BigInt scope part as ERR_KEY_INVALID_SCOPE, not `Do not know how to serialize a BigInt`", () => {
    expect(codeOf(() => callerDigest({ user: 5n } as never))).toEqual({
      code: "ERR_KEY_INVALID_SCOPE",
      message: expect.stringContaining("got user = 5n"),
    });
    expect(
      codeOf(() => toolKey({ tool: "t", args: {}, caller: { tenant: Symbol("x") } as never })).code,
    ).toBe("ERR_KEY_INVALID_SCOPE");
  });

  it("reports null-prototype and symbol options, not `Cannot convert object to primitive value`", () => {
    expect(codeOf(() => digest("x", Object.create(null))).message).toContain("got an object with keys []");
    expect(codeOf(() => canonicalize(1, { maxLength: Object.create(null) })).code).toBe("ERR_INVALID_OPTION");
    expect(codeOf(() => canonicalize(1, { maxDepth: Symbol("d") as never })).code).toBe("ERR_INVALID_OPTION");
    expect(codeOf(() => keySegment(Object.create(null))).message).toContain("got an object with keys []");
    expect(codeOf(() => keySegment(5n as never)).message).toContain("got 5n");
  });

  it("reports what a throwing toJSON or Proxy threw as the KeyError's cause", () => {
    const boom = new RangeError("boom");
    class Bad {
      toJSON() {
        throw boom;
      }
    }
    let caught: unknown;
    try {
      canonicalize({ a: new Bad() });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KeyError);
    expect(caught).toMatchObject({ code: "ERR_KEY_UNSUPPORTED_TYPE", cause: boom });
    expect((caught as Error).message).toContain('RangeError("boom")');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(codeOf(() => canonicalize([proxy])).code).toBe("ERR_KEY_UNSUPPORTED_TYPE");
  });
});
