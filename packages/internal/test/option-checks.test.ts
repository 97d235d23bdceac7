import { describe, expect, it } from "vitest";
import { booleanCheck, given, knownOptions, optionNames } from "../src/option-checks";

class InvalidOptionError extends Error {}
const boolean = booleanCheck((message) => new InvalidOptionError(message));

describe("given", () => {
  it("takes the default only for an option left out: null is a value", () => {
    expect(given(undefined, 5)).toBe(5);
    expect(given<unknown>(null, 5)).toBeNull();
    expect(given(0, 5)).toBe(0);
    expect(given(false, true)).toBe(false);
  });
});

describe("booleanCheck", () => {
  it("returns true or false", () => {
    expect(boolean("stdin", true)).toBe(true);
    expect(boolean("stdin", false)).toBe(false);
  });

  it("throws the package's own error for anything merely truthy or falsy, naming the option and the value", () => {
    for (const [value, shown] of [
      [null, "null"],
      [undefined, "undefined"],
      [0, "0"],
      ["false", '"false"'],
      [1n, "1n"],
      [Symbol("yes"), "Symbol(yes)"],
      [new Boolean(true), "an object with keys []"],
    ] as const) {
      expect(() => boolean("stdin", value)).toThrow(InvalidOptionError);
      expect(() => boolean("stdin", value)).toThrow(`stdin must be true or false, got ${shown}`);
    }
  });

  it("renders the value with the package's own describer", () => {
    const check = booleanCheck(
      (message) => new InvalidOptionError(message),
      () => "a thing",
    );
    expect(() => check("hashTag", [])).toThrow("hashTag must be true or false, got a thing");
  });
});

describe("knownOptions", () => {
  const check = knownOptions(
    (message) => new InvalidOptionError(message),
    ["ttlMs", "waitMs", "retryBaseMs", "retryMaxMs"],
  );

  it("takes an object of known names, or none", () => {
    expect(() => check({})).not.toThrow();
    expect(() => check({ ttlMs: 1, waitMs: undefined })).not.toThrow();
    expect(() => check(Object.create(null))).not.toThrow();
  });

  it("throws the package's own error naming the unknown option and listing the known ones", () => {
    expect(() => check({ ttlMs: 1, wait: 5 })).toThrow(InvalidOptionError);
    expect(() => check({ tll: 5 })).toThrow(
      'unknown option "tll"; the options are ttlMs, waitMs, retryBaseMs, retryMaxMs',
    );
    expect(() => check({ tll: 5 })).not.toThrow("did you mean");
  });

  it.each([
    ["ttl", "ttlMs"],
    ["TTLMS", "ttlMs"],
    ["waitMS", "waitMs"],
    ["retryB", "retryBaseMs"],
  ])("suggests the one close name for %s", (given, close) => {
    expect(() => check({ [given]: 1 })).toThrow(
      `unknown option "${given}"; the options are ttlMs, waitMs, retryBaseMs, retryMaxMs (did you mean "${close}"?)`,
    );
  });

  it("suggests nothing when several names are as close", () => {
    expect(() => check({ retry: 1 })).toThrow(/unknown option "retry"; the options are [\w, ]+$/);
  });

  it("starts the message with where the object is, when told", () => {
    expect(() => check({ ttl: 1 }, "checks[0]")).toThrow('checks[0]: unknown option "ttl"; the options are');
  });
});

describe("optionNames", () => {
  it("lists the record's names", () => {
    expect(optionNames<{ a?: number; b: string }>({ a: true, b: true })).toEqual(["a", "b"]);
  });
});
