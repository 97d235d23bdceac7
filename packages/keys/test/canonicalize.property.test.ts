import { canonicalize, KeyError } from "@mcp-persist/keys";
import { jsonValue, shuffleKeys, supportedValue } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCanonical, sameValue } from "./canonical-parser";

const runs = { numRuns: 1500 };

describe("canonicalize, properties", () => {
  it("never depends on the order of object keys, at any depth", () => {
    fc.assert(
      fc.property(supportedValue, fc.integer(), (value, seed) => {
        let state = seed;
        const random = () => ((state = (state * 1103515245 + 12345) >>> 0) % 1000) / 1000;
        expect(canonicalize(shuffleKeys(value, random))).toBe(canonicalize(value));
      }),
      runs,
    );
  });

  it("is injective: every canonical form decodes back to an equal value", () => {
    fc.assert(
      fc.property(supportedValue, (value) => {
        expect(sameValue(value, parseCanonical(canonicalize(value)))).toBe(true);
      }),
      runs,
    );
  });

  it("gives equal forms only to equal values", () => {
    fc.assert(
      fc.property(supportedValue, supportedValue, (a, b) => {
        expect(canonicalize(a) === canonicalize(b)).toBe(sameValue(a, b));
      }),
      runs,
    );
  });

  it("writes JSON data as JSON: parses back with JSON.parse to the same data", () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(JSON.parse(canonicalize(value))).toEqual(value);
      }),
      runs,
    );
  });

  it("throws a KeyError, never anything else, when any bad value is nested anywhere", () => {
    const bad = fc.constantFrom<unknown>(
      () => 1,
      Symbol("s"),
      new WeakMap(),
      new (class Custom {})(),
      Promise.resolve(1),
    );
    const withBad = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        bad.map((value) => ({ value })),
        fc
          .tuple(fc.array(supportedValue, { maxLength: 3 }), tie("node"), fc.nat())
          .map(([items, node, at]) => {
            const list = [...items];
            list.splice(at % (list.length + 1), 0, (node as { value: unknown }).value);
            return { value: list };
          }),
        fc
          .tuple(fc.string(), tie("node"))
          .map(([key, node]) => ({ value: { [key]: (node as { value: unknown }).value } })),
        tie("node").map((node) => ({ value: new Map([["k", (node as { value: unknown }).value]]) })),
      ),
    })).node;
    fc.assert(
      fc.property(withBad, ({ value }) => {
        expect(() => canonicalize(value)).toThrow(KeyError);
      }),
      runs,
    );
  });

  it("throws ERR_KEY_CYCLE for a cycle closed at any depth through any container", () => {
    const container = fc.constantFrom("object", "array", "map", "set");
    fc.assert(
      fc.property(fc.array(container, { minLength: 1, maxLength: 8 }), (kinds) => {
        const root: Record<string, unknown> = {};
        let parent: unknown = root;
        let attach = (child: unknown) => {
          root.child = child;
        };
        for (const kind of kinds) {
          const node =
            kind === "object" ? {} : kind === "array" ? [] : kind === "map" ? new Map() : new Set();
          attach(node);
          parent = node;
          attach = (child) => {
            if (parent instanceof Map) parent.set("k", child);
            else if (parent instanceof Set) parent.add(child);
            else if (Array.isArray(parent)) parent.push(child);
            else (parent as Record<string, unknown>).next = child;
          };
        }
        attach(root);
        expect(() => canonicalize(root)).toThrow(expect.objectContaining({ code: "ERR_KEY_CYCLE" }));
      }),
      { numRuns: 300 },
    );
  });
});
