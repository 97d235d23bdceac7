import { callerDigest, canonicalize, KeyError, toolKey } from "@mcp-persist/keys";
import {
  type ContainerKind,
  containerKinds,
  countReads,
  dagArbitrary,
  sharedDag,
} from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/**
 * Reads allowed for one call: the writer and, after it gives up, `diagnose` each visit at most
 * one value per character of maxLength; a Map or Set iterator may have moved on by one entry at
 * each level of nesting (at most 40 here) before the walk sees that the budget is spent.
 */
const readBound = (maxLength: number) => 2 * maxLength + 2 + 40;

function keyErrorOf(fn: () => unknown): KeyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeyError) return error;
    throw error;
  }
  throw new Error("expected a KeyError, got a result");
}

describe("the work of one key derivation is bounded, for every container type", () => {
  // Issue 11: a depth-30 DAG of Maps or Sets ran for minutes and 1.3 GB, the same in arrays
  // failed at once. Counted containers make "bounded" an assertion on reads, not on time: past
  // the limit a read throws, so the unbounded walk fails here instead of hanging.
  it.each(containerKinds)("refuses a depth-30 DAG of shared %s references with ERR_KEY_TOO_LARGE", (kind) => {
    const value = sharedDag(new Array<ContainerKind>(30).fill(kind), 2);
    const maxLength = 10_000;
    let error: KeyError | undefined;
    const reads = countReads(4 * maxLength, () => {
      error = keyErrorOf(() => canonicalize(value, { maxLength }));
    });
    expect(error?.code).toBe("ERR_KEY_TOO_LARGE");
    expect(reads).toBeLessThanOrEqual(readBound(maxLength));
  });

  it("bounds every mix of container kinds, fanouts and depths by maxLength", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.integer({ min: 1, max: 5000 }), (value, maxLength) => {
        const reads = countReads(4 * maxLength + 16, () => {
          try {
            canonicalize(value, { maxLength });
          } catch (error) {
            expect(error).toBeInstanceOf(KeyError);
            expect((error as KeyError).code).toBe("ERR_KEY_TOO_LARGE");
          }
        });
        expect(reads).toBeLessThanOrEqual(readBound(maxLength));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses the issue's DAGs with the default limits too, through toolKey and callerDigest", () => {
    for (const kind of ["map", "set"] as const) {
      const value = sharedDag(new Array<ContainerKind>(30).fill(kind), 2, "leaf", false);
      expect(keyErrorOf(() => toolKey({ tool: "t", args: value })).code).toBe("ERR_KEY_TOO_LARGE");
      expect(keyErrorOf(() => callerDigest({ user: "u", extra: value } as never)).code).toBe(
        "ERR_KEY_TOO_LARGE",
      );
    }
  });

  it("refuses a wide array of one shared long string without building a huge string", () => {
    // Used to build past V8's string limit and throw a raw RangeError ("Invalid string length").
    const long = "x".repeat(900_000);
    expect(keyErrorOf(() => canonicalize(new Array(1_000_000).fill(long))).code).toBe("ERR_KEY_TOO_LARGE");
    const bytes = new Uint8Array(900_000);
    expect(keyErrorOf(() => canonicalize(new Array(100).fill(bytes))).code).toBe("ERR_KEY_TOO_LARGE");
  });

  it("counts object members JSON omits, so an object of undefined members cannot multiply work", () => {
    const sparse = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, undefined]));
    expect(canonicalize(sparse)).toBe("{}");
    const maxLength = 100_000;
    expect(keyErrorOf(() => canonicalize(new Array(1000).fill(sparse), { maxLength })).code).toBe(
      "ERR_KEY_TOO_LARGE",
    );
  });

  it("ends a toJSON that returns itself or a fresh object every time", () => {
    class Self {
      toJSON() {
        return this;
      }
    }
    class Fresh {
      toJSON() {
        return { next: new Fresh() };
      }
    }
    expect(keyErrorOf(() => canonicalize({ a: new Self() })).code).toBe("ERR_KEY_CYCLE");
    expect(keyErrorOf(() => canonicalize({ a: new Fresh() })).code).toBe("ERR_KEY_TOO_DEEP");
  });
});

describe("the limits keep the walk inside the stack and V8's string limit", () => {
  const nest = (kind: ContainerKind | "toJSON", depth: number): unknown => {
    let value: unknown = 0;
    for (let level = 0; level < depth; level++) {
      const inner = value;
      value =
        kind === "array"
          ? [inner]
          : kind === "object"
            ? { a: inner }
            : kind === "map"
              ? new Map([["a", inner]])
              : kind === "set"
                ? new Set([inner])
                : new (class Wrapper {
                    toJSON = () => inner;
                  })();
    }
    return value;
  };

  it.each([...containerKinds, "toJSON" as const])(
    "walks %s nested to the largest maxDepth (1000)",
    (kind) => {
      expect(canonicalize(nest(kind, 999), { maxDepth: 1000 })).toContain("0");
      // One level more: the writer bails and `diagnose`, which recurses deeper, finds where.
      expect(keyErrorOf(() => canonicalize(nest(kind, 1001), { maxDepth: 1000 })).code).toBe(
        "ERR_KEY_TOO_DEEP",
      );
    },
  );

  it("rejects limits it could not honour with ERR_INVALID_OPTION, not a RangeError later", () => {
    for (const options of [
      { maxDepth: 1001 },
      { maxDepth: 1e9 },
      { maxLength: 50_000_001 },
      { maxLength: 2 ** 53 },
    ]) {
      expect(keyErrorOf(() => canonicalize([1], options)).code).toBe("ERR_INVALID_OPTION");
    }
    expect(canonicalize([1], { maxDepth: 1000, maxLength: 50_000_000 })).toBe("[1]");
  });
});
