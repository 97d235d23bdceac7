import fc from "fast-check";

/** Strings of any UTF-16 code unit, lone surrogates and control characters included. */
export const anyString = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
});

/** Keys that have tripped serialisers before, mixed with arbitrary ones. */
export const objectKey = fc.oneof(
  anyString,
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "0", "10", "a", "b", ""),
);

/** Builds an object with the given own members, `__proto__` included, without touching prototypes. */
export function objectFrom(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const leaf = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.double(), // NaN, ±Infinity and -0 included
  fc.integer(),
  fc.bigInt(),
  anyString,
  fc.date({ noInvalidDate: false }),
  fc.uint8Array({ maxLength: 8 }),
);

/** Values made of `leaves`, nested in arrays, objects (with the keys above), Maps and Sets. */
export function nestedOf(leaves: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaves,
      tie("array"),
      tie("object"),
      tie("map"),
      tie("set"),
    ),
    array: fc.array(tie("value"), { maxLength: 5 }),
    object: fc.array(fc.tuple(objectKey, tie("value")), { maxLength: 5 }).map(objectFrom),
    map: fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 }).map((entries) => new Map(entries)),
    set: fc.array(tie("value"), { maxLength: 3 }).map((members) => new Set(members)),
  })).value;
}

/** Every kind of value `canonicalize` supports, nested. */
export const supportedValue: fc.Arbitrary<unknown> = nestedOf(leaf);

/** Values the cache's default codec keeps: JSON, Date, BigInt, Map, Set, undefined, NaN, -0, nested. */
export const codecValue: fc.Arbitrary<unknown> = nestedOf(
  fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.double(),
    fc.bigInt(),
    anyString,
    fc.date({ noInvalidDate: true }),
  ),
);

/** JSON data, as tool arguments arrive: plain objects, arrays, strings, finite numbers, booleans, null. */
export const jsonValue: fc.Arbitrary<unknown> = fc.jsonValue();

/** Recreates every plain object with its keys in a shuffled order, at every depth. */
export function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, random));
  if (value instanceof Map)
    return new Map([...value].map(([k, v]) => [shuffleKeys(k, random), shuffleKeys(v, random)]));
  if (value instanceof Set) return new Set([...value].map((item) => shuffleKeys(item, random)));
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  const entries = Object.keys(value).map(
    (key) => [key, Object.getOwnPropertyDescriptor(value, key)?.value] as const,
  );
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [
      entries[j] as (typeof entries)[number],
      entries[i] as (typeof entries)[number],
    ];
  }
  return objectFrom(entries.map(([key, member]) => [key, shuffleKeys(member, random)] as const));
}
