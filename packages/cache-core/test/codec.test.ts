import { CodecError, defaultCodec } from "@mcp-persist/cache-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeTagged } from "../src/codec";
import { isWellFormed } from "./support";

/** What the codec promises to round-trip, as fast-check's `anything()` switches. */
const CODEC_VALUES = {
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withObjectString: false,
  withNullPrototype: false,
  withBoxedValues: false,
  withSparseArray: false,
  withTypedArray: false,
} as const;

const roundTrip = (value: unknown) => defaultCodec.decode(defaultCodec.encode(value));

describe("defaultCodec", () => {
  it("stores plain JSON as JSON, decoded by JSON.parse alone", () => {
    const value = { content: [{ type: "text", text: "hi" }], n: 1.5, ok: true, none: null };
    const text = defaultCodec.encode(value);
    expect(text).toBe(`j${JSON.stringify(value)}`);
    expect(defaultCodec.decode(text)).toEqual(value);
  });

  it("stores a one-text MCP result as bare text, and only that exact shape", () => {
    const result = { content: [{ type: "text", text: 'line 1\n{"json": "inside"} 🎉' }] };
    expect(defaultCodec.encode(result)).toBe(`m${result.content[0]?.text}`);
    expect(defaultCodec.decode(defaultCodec.encode(result))).toStrictEqual(result);
    const near = [
      { content: [{ type: "text", text: "a" }], isError: false },
      { content: [{ type: "text", text: "a", annotations: {} }] },
      { content: [{ type: "image", text: "a" }] },
      { content: [{ type: "text", text: 1 }] },
      {
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
      { structuredContent: {}, content: [{ type: "text", text: "a" }] },
    ];
    for (const value of near) {
      expect(defaultCodec.encode(value).startsWith("m")).toBe(false);
      expect(roundTrip(value)).toStrictEqual(value);
    }
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        const value = { content: [{ type: "text", text }] };
        expect(roundTrip(value)).toStrictEqual(value);
      }),
    );
  });

  it("writes well-formed text for a one-text result holding a lone surrogate, and reads it back exactly", () => {
    for (const text of ["café \uD83D", "\uDE00 tail", "a\uD83D\uD83Db", "\uDFFF"]) {
      const result = { content: [{ type: "text", text }] };
      const encoded = defaultCodec.encode(result);
      expect(isWellFormed(encoded), JSON.stringify(encoded)).toBe(true);
      expect(defaultCodec.decode(encoded)).toStrictEqual(result);
    }
    // Well-formed text keeps the shortcut.
    expect(defaultCodec.encode({ content: [{ type: "text", text: "café 😀" }] })).toBe("mcafé 😀");
  });

  it("writes well-formed text that decodes to an equal value, for any string (property)", () => {
    // unit "binary" draws any UTF-16 code unit sequence, lone surrogates included.
    const anyText = fc.string({ unit: "binary" });
    const value = fc.oneof(
      anyText.map((text) => ({ content: [{ type: "text", text }] })),
      anyText,
      fc.dictionary(anyText, anyText, { noNullPrototype: true }),
      fc.anything({ ...CODEC_VALUES, stringUnit: "binary", maxDepth: 3 }),
    );
    fc.assert(
      fc.property(value, (v) => {
        fc.pre(!containsInvalidDate(v));
        const encoded = defaultCodec.encode(v);
        expect(isWellFormed(encoded)).toBe(true);
        expect(defaultCodec.decode(encoded)).toStrictEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it("writes plain JSON with a bare JSON.stringify exactly as its general path would (property)", () => {
    /** What the general path writes (or throws), to hold the shortcut to it byte for byte. */
    const outcome = (encode: () => string): string => {
      try {
        return encode();
      } catch (error) {
        return `threw ${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
    };
    const same = (value: unknown): void => {
      expect(outcome(() => defaultCodec.encode(value))).toBe(outcome(() => encodeTagged(value)));
    };
    const hidden = Object.defineProperty({ a: 1 }, "\u0000", { value: "x", enumerable: false });
    const withGetter = Object.defineProperty({}, "g", { get: () => [1, "2"], enumerable: true });
    class Point {
      x = 1;
    }
    class List extends Array<number> {}
    const nullProto = Object.assign(Object.create(null), { b: [1], a: { c: null } });
    const nestedDeep = (depth: number): unknown => (depth === 0 ? "leaf" : { d: nestedDeep(depth - 1) });
    for (const value of [
      { toJSON: "not a function", n: 1 },
      { nested: { toJSON: () => "replaced" } },
      { list: Object.assign([1, 2], { toJSON: () => Number.NaN }) },
      JSON.parse('{"__proto__":{"x":1},"2":"b","1":"a","z":[{}]}'),
      { "\u0000": "d", v: 0 },
      hidden,
      withGetter,
      new Point(),
      List.from([1, 2]),
      nullProto,
      [1, , 3],
      [Object(1), Object("s")],
      { lone: "\ud83d tail", mixed: ["\udc00", "😀"] },
      { n: -0 },
      [Number.NaN],
      nestedDeep(200),
      { content: [{ type: "text", text: "a" }], isError: false },
      "text",
      42,
      null,
    ]) {
      same(value);
    }
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.anything({
            ...CODEC_VALUES,
            withNullPrototype: true,
            withObjectString: true,
            withBoxedValues: true,
            withSparseArray: true,
            maxDepth: 4,
          }),
        ),
        same,
      ),
      { numRuns: 1000 },
    );
  });

  it("round-trips what JSON cannot say", () => {
    const value = {
      date: new Date("2026-11-23T10:00:00.123Z"),
      big: -(2n ** 80n),
      map: new Map<unknown, unknown>([
        [1, "one"],
        [new Date(5), new Set(["x"])],
      ]),
      set: new Set([1, "1", null]),
      holes: [undefined, 1, undefined],
      member: undefined,
      numbers: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0],
      invalidDate: new Date(Number.NaN),
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toStrictEqual({ ...value, invalidDate: back.invalidDate });
    expect(Object.is(back.numbers[3], -0)).toBe(true);
    expect(Number.isNaN(back.invalidDate.getTime())).toBe(true);
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip(12n)).toBe(12n);
  });

  it("keeps user objects that look like its tags, and __proto__ keys, as plain data", () => {
    const tricky = JSON.parse('{"\\u0000":"d","v":0,"__proto__":{"polluted":true},"nested":{"\\u0000":"u"}}');
    const back = roundTrip({ tricky, when: new Date(0) }) as { tricky: Record<string, unknown> };
    expect(back.tricky).toStrictEqual(tricky);
    expect(Object.getPrototypeOf(back.tricky)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses functions, symbols and cycles with a CodecError", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [{ f: () => 1 }, [Symbol("s")], cyclic]) {
      expect(() => defaultCodec.encode(value)).toThrow(CodecError);
    }
  });

  it("refuses text it did not write", () => {
    expect(() => defaultCodec.decode("{}")).toThrow(CodecError);
    expect(() => defaultCodec.decode("j{broken")).toThrow(CodecError);
    expect(() => defaultCodec.decode('t{"\\u0000":"?"}')).toThrow(CodecError);
  });

  it("round-trips arbitrary values (property)", () => {
    const value = fc.anything({ ...CODEC_VALUES, maxDepth: 4 });
    fc.assert(
      fc.property(value, (v) => {
        fc.pre(!containsInvalidDate(v));
        expect(roundTrip(v)).toStrictEqual(v);
      }),
      { numRuns: 500 },
    );
  });
});

/** Node's deep equality never equals two invalid Dates (NaN !== NaN); they are checked apart above. */
function containsInvalidDate(value: unknown): boolean {
  if (value instanceof Date) return Number.isNaN(value.getTime());
  if (value instanceof Map)
    return [...value].some(([k, v]) => containsInvalidDate(k) || containsInvalidDate(v));
  if (value instanceof Set) return [...value].some(containsInvalidDate);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsInvalidDate);
  return false;
}
