import fc from "fast-check";
import { anyString, objectFrom, supportedValue } from "./values";

/**
 * Counts the children read out of the counted containers below, so a test can assert how much
 * work a call did without timing it. Past `limit` a read throws, so a walk that would run for
 * minutes fails at once instead of hanging the test run.
 */
export const reads = { count: 0, limit: Number.POSITIVE_INFINITY };

export class WorkLimitExceeded extends Error {}

/** Runs `fn` allowing at most `limit` counted reads; returns how many it made. */
export function countReads(limit: number, fn: () => void): number {
  reads.count = 0;
  reads.limit = limit;
  try {
    fn();
  } finally {
    reads.limit = Number.POSITIVE_INFINITY;
  }
  return reads.count;
}

function read<T>(value: T): T {
  if (++reads.count > reads.limit) throw new WorkLimitExceeded(`more than ${reads.limit} reads`);
  return value;
}

/** A Map whose iteration counts each entry read. Still a Map (`instanceof`), as the keys see it. */
class CountedMap<K, V> extends Map<K, V> {
  override *[Symbol.iterator](): MapIterator<[K, V]> {
    for (const entry of super.entries()) yield read(entry);
    return undefined;
  }
}

class CountedSet<T> extends Set<T> {
  override *[Symbol.iterator](): SetIterator<T> {
    for (const member of super.values()) yield read(member);
    return undefined;
  }
}

/** A real array whose elements are getters that count. */
function countedArray(children: readonly unknown[]): unknown[] {
  const array = new Array(children.length);
  children.forEach((child, index) => {
    Object.defineProperty(array, index, { get: () => read(child), enumerable: true });
  });
  return array;
}

/** A plain object whose members are getters that count. */
function countedObject(children: readonly unknown[]): object {
  const object = {};
  children.forEach((child, index) => {
    Object.defineProperty(object, `k${index}`, { get: () => read(child), enumerable: true });
  });
  return object;
}

export type ContainerKind = "array" | "object" | "map" | "set";
export const containerKinds: readonly ContainerKind[] = ["array", "object", "map", "set"];

/**
 * One container holding `child` `fanout` times: the same reference each time (a Set, which
 * would keep one copy, holds distinct one-member Sets around it). Counted unless `counted` is false.
 */
export function sharing(kind: ContainerKind, child: unknown, fanout: number, counted = true): unknown {
  const copies = Array.from({ length: fanout }, () => child);
  const array = counted ? countedArray : (items: readonly unknown[]) => [...items];
  switch (kind) {
    case "array":
      return array(copies);
    case "object":
      return counted
        ? countedObject(copies)
        : Object.fromEntries(copies.map((member, i) => [`k${i}`, member]));
    case "map":
      return new (counted ? CountedMap : Map)(copies.map((member, index) => [index, member]));
    case "set":
      return new (counted ? CountedSet : Set)(
        copies.map((member) => new (counted ? CountedSet : Set)([member])),
      );
  }
}

/** A DAG of shared references, one level per kind: it expands to fanout^levels nodes when written. */
export function sharedDag(
  kinds: readonly ContainerKind[],
  fanout: number,
  leaf: unknown = "leaf",
  counted = true,
): unknown {
  return kinds.reduce<unknown>((child, kind) => sharing(kind, child, fanout, counted), leaf);
}

export const dagArbitrary = fc
  .record({
    kinds: fc.array(fc.constantFrom(...containerKinds), { minLength: 1, maxLength: 40 }),
    fanout: fc.integer({ min: 1, max: 4 }),
    leaf: fc.oneof(anyString, fc.integer(), fc.constant(null)),
  })
  .map(({ kinds, fanout, leaf }) => sharedDag(kinds, fanout, leaf));

/** A chain of containers of the given kinds whose last one holds the first again. */
export function cycleThrough(kinds: readonly ContainerKind[]): unknown {
  const root: Record<string, unknown> = {};
  let attach = (child: unknown) => {
    root.child = child;
  };
  for (const kind of kinds) {
    const node = kind === "object" ? {} : kind === "array" ? [] : kind === "map" ? new Map() : new Set();
    attach(node);
    attach = (child) => {
      if (node instanceof Map) node.set("k", child);
      else if (node instanceof Set) node.add(child);
      else if (Array.isArray(node)) node.push(child);
      else (node as Record<string, unknown>).next = child;
    };
  }
  attach(root);
  return root;
}

export const cycleArbitrary = fc
  .array(fc.constantFrom(...containerKinds), { minLength: 1, maxLength: 8 })
  .map(cycleThrough);

/** Values no serialiser should meet, but a public function may be handed. */
const oddities = fc.constantFrom<unknown>(
  Symbol("s"),
  Symbol(),
  () => 1,
  class Point {},
  new WeakMap(),
  Promise.resolve(1),
  new (class Point {
    x = 1;
  })(),
  Object.create(null),
  Object.assign(Object.create(null), { user: "a", b: 5n }),
  JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":1}}'),
  new Date(Number.NaN),
  2n ** 300n,
  -(2n ** 64n),
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  /re(g)ex/giu,
  new Error("boom"),
  new Uint8Array([1, 2, 3]),
  new DataView(new ArrayBuffer(2)),
  new String("boxed"),
  "",
  "café \uD83D",
  "\uDE00 tail",
  "😀",
  "a".repeat(1000),
  "%ED%A0%BD",
  "{tag}:*\n",
);

const anything = fc.anything({
  maxDepth: 3,
  maxKeys: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
});

/** Anything at all: supported data, odd values, shared-reference DAGs, cycles, and mixes of them. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    oddities,
    anything,
    supportedValue,
    dagArbitrary,
    cycleArbitrary,
    tie("array"),
    tie("object"),
  ),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc
    .array(fc.tuple(fc.oneof(anyString, fc.constant("__proto__")), tie("value")), { maxLength: 4 })
    .map(objectFrom),
})).value;
