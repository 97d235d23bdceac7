import { anyString, cycleArbitrary, hostileValue, objectFrom } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";

/**
 * Pieces of names that have steered keys before: separators, Cluster hash-tag braces, glob
 * stars, CRLF (a RESP line end), escapes that look like what an escaper writes, lone surrogates.
 */
const PIECES = [
  ":",
  "{",
  "}",
  "*",
  "\r\n",
  "\r",
  "\n",
  "{}",
  "}{",
  "{x}",
  "~",
  "_",
  "%",
  "%3A",
  "%7B",
  " ",
  "\u0000",
  "\uD83D",
  "\uDE00",
  "😀",
  "\uFFFD",
  "a",
  "b",
  "ab",
  "mcp",
  "lock",
  "_all",
  "_anon",
  "~k",
  "~g",
] as const;

/** Short strings built from {@link PIECES}: drawn from a small set, so near-collisions are common. */
export const injection: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 })
  .map((pieces) => pieces.join(""));

/** 100,000 characters: a huge name, or a huge part of a caller. */
const HUGE = "0123456789".repeat(10_000);

/**
 * A name as a caller might send it: injection pieces, any UTF-16 string, or a long one (past
 * the 100 characters where segments are shortened to a head and a digest) that differs only at
 * the end from others like it.
 */
export const name: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: injection },
  { weight: 2, arbitrary: anyString.filter((text) => text.length > 0) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 90, max: 400 }), injection)
      .map(([length, tail]) => `${"h".repeat(length)}${tail}`),
  },
  { weight: 1, arbitrary: injection.map((tail) => `${HUGE}${tail}`) },
);

/** A `Caller`: a string, or an object of the four parts (each a name). */
export const caller: fc.Arbitrary<string | Record<string, string>> = fc.oneof(
  name,
  fc
    .record({ user: name, tenant: name, session: name, client: name }, { requiredKeys: [] })
    .filter((parts) => Object.keys(parts).length > 0),
);

/** A field that is usually plausible, sometimes anything at all (keys' `field`). */
export function field<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: hostileValue });
}

/** Numbers and look-alikes at the edges of every range an option can have. */
const edges = fc.constantFrom<unknown>(
  0,
  -1,
  0.5,
  2 ** 31 - 1,
  2 ** 31,
  Number.MAX_SAFE_INTEGER,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  "100",
  "",
  null,
  10n,
  true,
);

/**
 * Options objects: the known options, each present or not (`required` ones always), with
 * plausible values (`shape`); in about half of them one option — or a deprecated name (`also`), a
 * typo, `__proto__`, `constructor` — holds anything at all, which reaches each check alone; now
 * and then not an object at all.
 */
export function optionsOf(
  shape: Record<string, fc.Arbitrary<unknown>>,
  { required = [], also = [] }: { required?: string[]; also?: string[] } = {},
): fc.Arbitrary<unknown> {
  const plausible = fc.record(shape, { requiredKeys: required as never[] });
  const names = [...Object.keys(shape), ...also, "__proto__", "constructor", "typo"];
  const oneBad = fc
    .tuple(plausible, fc.constantFrom(...names), fc.oneof(hostileValue, edges))
    .map(([options, bad, value]) =>
      objectFrom([...Object.entries(options as object).filter(([key]) => key !== bad), [bad, value]]),
    );
  return fc.oneof(
    { weight: 4, arbitrary: plausible },
    { weight: 4, arbitrary: oneBad },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** Durations in ms as an application would set them (the bad ones come from {@link optionsOf}). */
export const duration: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 120_000 }),
  fc.constantFrom(2 ** 31 - 1, 0.5),
);

/**
 * Nesting far past any depth limit (up to 20,000 levels of arrays, objects, Maps or Sets), which
 * a recursive walk would answer with a stack overflow (a RangeError).
 */
export const deepValue: fc.Arbitrary<unknown> = fc
  .noShrink(fc.tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom("array", "object", "map", "set")))
  .map(([depth, kind]) => {
    let value: unknown = "bottom";
    for (let i = 0; i < depth; i++) {
      value =
        kind === "array"
          ? [value]
          : kind === "object"
            ? { v: value }
            : kind === "map"
              ? new Map([["v", value]])
              : new Set([value]);
    }
    return value;
  });

/** What a {@link throwingProxy}'s traps throw: the caller's own error, which may come back as is. */
export class TrapError extends Error {}

/** Whether `error` is what a {@link throwingProxy} threw (allowed: the caller's own error). */
export const fromTrap = (error: unknown): boolean => error instanceof TrapError;

const trap = () => {
  throw new TrapError("a hostile Proxy's trap");
};

/**
 * An object or a function every trap of which throws (get, has, ownKeys, getPrototypeOf, apply…):
 * whatever reads it meets the caller's own error, and must not turn it into a TypeError of its own.
 */
export const throwingProxy: fc.Arbitrary<unknown> = fc.constantFrom("object", "function").map((kind) => {
  const target = kind === "function" ? () => {} : {};
  const traps = ["ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "apply", "set"];
  // fast-check itself asks every value for its clone and print methods: those two are answered.
  const own = (key: PropertyKey) =>
    key === fc.cloneMethod || key === fc.toStringMethod || key === fc.asyncToStringMethod;
  return new Proxy(target, {
    ...Object.fromEntries(traps.map((name) => [name, trap])),
    has: (_, key) => (own(key) ? key === fc.toStringMethod : trap()),
    get: (_, key) =>
      key === fc.toStringMethod ? () => `throwingProxy(${kind})` : own(key) ? undefined : trap(),
  });
});

/** Anything at all, now and then a {@link throwingProxy}. */
export const hostileOrTrap: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileValue },
  { weight: 1, arbitrary: throwingProxy },
);

/** Whether `text` holds no lone surrogate (`String.prototype.isWellFormed`, Node 20; not in the ES2023 typings). */
export function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Anything a serialiser may be handed, but shared-reference DAGs: JSON and the codec write a DAG
 * out in full (fanout^levels nodes: 4^12 levels is 128 M characters, 1.7 s), with no bound on
 * the work, so one would stall a run. Odd values, cycles, wrong types and throwing Proxies stay.
 */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 3,
    maxKeys: 4,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withSparseArray: true,
    withTypedArray: true,
    stringUnit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  }),
  fc.constantFrom<unknown>(Symbol("s"), () => 1, class Point {}, Promise.resolve(1), new WeakMap(), 10n),
  cycleArbitrary,
  throwingProxy,
);
