import {
  argsDigest,
  type Caller,
  callerDigest,
  canonicalize,
  digest,
  joinKey,
  keySegment,
  MAX_TOOL_KEY_LENGTH,
  toolKey,
  toolPrefix,
} from "@mcp-persist/keys";
import { hashTagOf, keySlot } from "@mcp-persist/test-kit";
import { hostileValue, jsonValue, shuffleKeys } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caller, deepValue, field, injection, name } from "./support/names";
import { reportInputs, runs, tried1 } from "./support/runs";
import { typedOutcome } from "./support/typed";

reportInputs("keys");

/** Whether two callers are one identity: the same string, or objects with the same parts. */
function sameCaller(a: Caller | undefined, b: Caller | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === "string" || typeof b === "string") return a === b;
  const parts = (c: object) => JSON.stringify(Object.entries(c).sort(([x], [y]) => (x < y ? -1 : 1)));
  return parts(a) === parts(b);
}

interface Call {
  namespace: string;
  tool: string;
  version: string;
  caller: Caller | undefined;
  args: unknown;
}

// Small pools, so that two calls often agree on a part, or differ only by an escape or a brace.
const smallName = fc.oneof(injection, fc.constantFrom("a", "a:b", "a%3Ab", "{a}", "a}", "{", "mcp:x"));
const smallCaller = fc.oneof(
  fc.constant(undefined),
  smallName,
  fc.record({ user: smallName, tenant: smallName }, { requiredKeys: ["user"] }),
);
const smallArgs = fc.oneof(
  jsonValue,
  fc.record({ q: smallName, n: fc.integer({ min: 0, max: 2 }) }, { requiredKeys: [] }),
);
const call: fc.Arbitrary<Call> = fc.record({
  namespace: smallName,
  tool: smallName,
  version: smallName,
  caller: smallCaller,
  args: smallArgs,
});
/** A second call: the first with some parts replaced from the same pools, its arguments reordered. */
const pair = fc
  .tuple(
    call,
    fc.record(
      { namespace: smallName, tool: smallName, version: smallName, caller: smallCaller, args: smallArgs },
      { requiredKeys: [] },
    ),
    fc.integer(),
  )
  .map(([a, changes, seed]) => {
    let state = seed;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
    const b = { ...a, ...changes } as Call;
    return [a, { ...b, args: shuffleKeys(b.args, random) }] as const;
  });

describe("toolKey: no input makes two calls share a key, escape its namespace or move its slot", () => {
  it("two calls share a key exactly when they are the same call", () => {
    fc.assert(
      fc.property(pair, fc.boolean(), ([a, b], hashTag) => {
        tried1();
        const same =
          a.namespace === b.namespace &&
          a.tool === b.tool &&
          a.version === b.version &&
          sameCaller(a.caller, b.caller) &&
          canonicalize(a.args) === canonicalize(b.args);
        expect(toolKey({ ...a, hashTag }) === toolKey({ ...b, hashTag })).toBe(same);
      }),
      runs(3000),
    );
  });

  it("stays in its namespace and tool, is printable ASCII without `*`, and is bounded", () => {
    const full = fc.record({
      namespace: name,
      tool: name,
      version: name,
      caller: fc.option(caller, { nil: undefined }),
      args: jsonValue,
    });
    fc.assert(
      fc.property(full, name, fc.boolean(), (c, other, hashTag) => {
        tried1();
        const key = toolKey({ ...c, hashTag });
        expect(key).toMatch(/^[\x21-\x29\x2b-\x7e]+$/); // no space, CR, LF or `*`
        expect(key.length).toBeLessThanOrEqual(MAX_TOOL_KEY_LENGTH);
        expect(key.split(":")).toHaveLength(5);
        expect(key.startsWith(toolPrefix({ namespace: c.namespace, tool: c.tool, version: c.version }))).toBe(
          true,
        );
        if (other !== c.namespace) expect(key.startsWith(toolPrefix({ namespace: other }))).toBe(false);
        if (other !== c.tool) {
          expect(
            key.startsWith(toolPrefix({ namespace: c.namespace, tool: other, version: c.version })),
          ).toBe(false);
        }
      }),
      runs(800),
    );
  });

  it("with hashTag, a caller's keys carry its digest as their only hash tag: one slot per caller, whatever the names", () => {
    const part = fc.record({ namespace: name, tool: name, version: name, args: jsonValue });
    fc.assert(
      fc.property(caller, part, part, fc.option(caller, { nil: undefined }), (who, one, two, other) => {
        tried1();
        const first = toolKey({ ...one, caller: who, hashTag: true });
        const second = toolKey({ ...two, caller: who, hashTag: true });
        expect(hashTagOf(first)).toBe(callerDigest(who));
        expect(first.split("{")).toHaveLength(2);
        expect(first.split("}")).toHaveLength(2);
        expect(keySlot(second)).toBe(keySlot(first));
        // Another caller's tag is its own digest: no name or argument can put a key in its slot
        // except by being that caller.
        const theirs = toolKey({ ...two, caller: other, hashTag: true });
        if (other === undefined) expect(theirs).not.toMatch(/[{}]/);
        else if (!sameCaller(other, who)) expect(hashTagOf(theirs)).not.toBe(hashTagOf(first));
        // Without hashTag, no key holds a brace, so none carries a tag a name could have forged.
        expect(toolKey({ ...one, caller: who })).not.toMatch(/[{}]/);
      }),
      runs(800),
    );
  });
});

describe("keySegment and joinKey", () => {
  it("are injective, and never let a separator, brace, star or line end through", () => {
    fc.assert(
      fc.property(smallName, smallName, name, (a, b, long) => {
        tried1();
        for (const text of [a, b, long]) expect(keySegment(text)).toMatch(/^[A-Za-z0-9_.\-%~]+$/);
        expect(keySegment(a) === keySegment(b)).toBe(a === b);
        expect(joinKey(a, b).split(":")).toHaveLength(2);
        expect(joinKey(a, b) === joinKey(b, a)).toBe(a === b);
      }),
      runs(1500),
    );
  });
});

describe("every keys function, given anything, returns or throws a KeyError", () => {
  it("canonicalize, argsDigest, digest, callerDigest, keySegment, joinKey, toolKey, toolPrefix", () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 9, arbitrary: hostileValue }, { weight: 1, arbitrary: deepValue }),
        field(fc.integer({ min: 1, max: 64 })),
        field(name),
        (value, size, text) => {
          tried1();
          typedOutcome(() => canonicalize(value, { maxLength: 2000 }));
          typedOutcome(() => canonicalize(value, value as never));
          typedOutcome(() => argsDigest(value, { digestBytes: size as number, maxLength: 2000 }));
          typedOutcome(() => digest(value as never, size as number));
          typedOutcome(() => callerDigest(value as never));
          typedOutcome(() => keySegment(value as never));
          typedOutcome(() => joinKey(text as string, value as never));
          typedOutcome(() =>
            toolKey({ tool: text, args: value, caller: value, maxArgsLength: 2000 } as never),
          );
          typedOutcome(() => toolKey(value as never));
          typedOutcome(() => toolPrefix({ namespace: text, tool: value, version: text } as never));
        },
      ),
      runs(600),
    );
  });
});
