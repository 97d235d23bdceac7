import { describe, expect, it } from "vitest";
import { booleanCheck, given } from "../src/option-checks";

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
