import {
  argsDigest,
  callerDigest,
  canonicalize,
  describeValue,
  digest,
  joinKey,
  KeyError,
  keySegment,
  loadLogId,
  toolKey,
  toolPrefix,
} from "@mcp-persist/keys";
import { countReads, hostileValue } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

const CODES = [
  "ERR_KEY_CYCLE",
  "ERR_KEY_UNSUPPORTED_TYPE",
  "ERR_KEY_TOO_LARGE",
  "ERR_KEY_TOO_DEEP",
  "ERR_KEY_INVALID_SEGMENT",
  "ERR_KEY_INVALID_SCOPE",
  "ERR_INVALID_OPTION",
];

/** Small enough that a run stays quick, large enough that real values fit. */
const maxLength = 2000;
/**
 * Reads one call may make through the counted containers: the writer and, after a failure,
 * `diagnose` each visit at most one value per character of `maxLength`, plus one read per
 * level of nesting (at most 40 in these DAGs) where a Map or Set iterator has moved on.
 */
const maxReads = 2 * maxLength + 2 + 40;

/** Calls `fn` and asserts it returned, or threw a KeyError with a stable code, within bounded work. */
function expectResultOrKeyError(fn: () => unknown): void {
  let thrown: unknown;
  const readsMade = countReads(maxReads, () => {
    try {
      fn();
    } catch (error) {
      thrown = error;
    }
  });
  expect(readsMade).toBeLessThanOrEqual(maxReads);
  if (thrown === undefined) return;
  if (!(thrown instanceof KeyError)) throw thrown; // shows the raw error and its stack
  expect(CODES).toContain(thrown.code);
  expect(thrown.message).toMatch(/^\[@mcp-persist\/keys\] /);
}

/** A field that is usually plausible, sometimes anything. */
const field = <T>(plausible: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: plausible }, hostileValue);
const name = field(fc.string({ minLength: 1, maxLength: 120 }));
const limits = field(fc.integer({ min: 1, max: 3000 }));

const runs = { numRuns: 400 };

describe("every public function, given anything", () => {
  let logId: (key: string) => string;
  beforeAll(async () => {
    logId = await loadLogId();
  });

  it("canonicalize and argsDigest return or throw a KeyError, with bounded work", () => {
    fc.assert(
      fc.property(hostileValue, limits, hostileValue, (value, depth, options) => {
        expectResultOrKeyError(() => canonicalize(value, { maxLength, maxDepth: depth as number }));
        expectResultOrKeyError(() => argsDigest(value, { maxLength, digestBytes: depth as number }));
        expectResultOrKeyError(() => canonicalize("x", options as never));
        expectResultOrKeyError(() => argsDigest(1, options as never));
      }),
      runs,
    );
  });

  it("toolKey and toolPrefix return or throw a KeyError", () => {
    const options = fc.record(
      {
        tool: name,
        args: hostileValue,
        namespace: name,
        version: name,
        caller: field(fc.oneof(fc.string(), fc.record({ user: fc.string(), tenant: fc.string() }))),
        hashTag: field(fc.boolean()),
        digestBytes: field(fc.integer({ min: 8, max: 32 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(options, hostileValue, (call, junk) => {
        expectResultOrKeyError(() => toolKey({ ...(call as object), maxArgsLength: maxLength } as never));
        expectResultOrKeyError(() => toolKey(junk as never));
        expectResultOrKeyError(() => toolPrefix(call as never));
        expectResultOrKeyError(() => toolPrefix(junk as never));
      }),
      runs,
    );
  });

  it("keySegment, joinKey, digest, callerDigest and logId return or throw a KeyError", () => {
    fc.assert(
      fc.property(hostileValue, name, (value, text) => {
        expectResultOrKeyError(() => keySegment(value as never));
        expectResultOrKeyError(() => joinKey(text as string, value as never));
        expectResultOrKeyError(() => joinKey());
        expectResultOrKeyError(() => digest(value as never));
        expectResultOrKeyError(() => digest("x", value as never));
        expectResultOrKeyError(() => callerDigest({ user: value } as never));
        expectResultOrKeyError(() => callerDigest(value as never));
        expectResultOrKeyError(() => logId(value as never));
      }),
      runs,
    );
  });

  it("describeValue never throws and stays one short line", () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        const text = describeValue(value);
        expect(typeof text).toBe("string");
        expect(text).not.toMatch(/[\n\r\u2028\u2029]/);
        expect(text.length).toBeLessThan(200);
      }),
      runs,
    );
  });
});
