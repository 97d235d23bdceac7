import { describe, expect, it } from "vitest";
import * as copyA from "../src/package-error";

// A second copy of the module, as a package's CommonJS build beside its ESM build would load it:
// its own PackageError class, its own family classes. (A query makes it another module to Vite.)
const secondCopy = "../src/package-error.ts?second-copy";
const copyB: typeof copyA = await import(/* @vite-ignore */ secondCopy);

/** One package's error family, built from one copy of the module. */
function family(copy: typeof copyA, name: string) {
  class FooError extends copy.PackageError<"ERR_INVALID_OPTION" | "ERR_FOO_TIMEOUT", "@mcp-persist/foo"> {
    static {
      copy.errorFamily(this, name);
    }

    constructor(code: "ERR_INVALID_OPTION" | "ERR_FOO_TIMEOUT", message: string) {
      super(code, "@mcp-persist/foo", message);
    }
  }
  class InvalidOptionError extends FooError {
    constructor(message: string) {
      super("ERR_INVALID_OPTION", message);
    }
  }
  class FooTimeoutError extends FooError {
    constructor() {
      super("ERR_FOO_TIMEOUT", "timed out");
    }
  }
  return { FooError, InvalidOptionError, FooTimeoutError };
}

const a = family(copyA, "@mcp-persist/foo/FooError");
const b = family(copyB, "@mcp-persist/foo/FooError");
const otherFamily = family(copyA, "@mcp-persist/bar/BarError");

describe("PackageError", () => {
  it("carries a stable code, the package, and a message that names the package", () => {
    const error = new a.InvalidOptionError("ttlMs must be positive");
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "InvalidOptionError",
      code: "ERR_INVALID_OPTION",
      package: "@mcp-persist/foo",
      message: "[@mcp-persist/foo] ttlMs must be positive",
    });
  });

  it("keeps the cause it is given", () => {
    const cause = new Error("boom");
    expect(new copyA.PackageError("ERR_X", "@mcp-persist/foo", "failed", { cause }).cause).toBe(cause);
  });

  it("instanceof holds across copies of a family, for subclasses and the root, never for siblings", () => {
    expect(copyB.PackageError).not.toBe(copyA.PackageError);
    expect(new b.InvalidOptionError("x") instanceof a.InvalidOptionError).toBe(true);
    expect(new b.InvalidOptionError("x") instanceof a.FooError).toBe(true);
    expect(new a.FooTimeoutError() instanceof b.FooError).toBe(true);
    expect(new b.InvalidOptionError("x") instanceof a.FooTimeoutError).toBe(false);
  });

  it("instanceof never matches a class of the same name from another family, or unmarked", () => {
    class InvalidOptionError extends Error {}
    expect(new otherFamily.InvalidOptionError("x") instanceof a.InvalidOptionError).toBe(false);
    expect(new a.InvalidOptionError("x") instanceof otherFamily.FooError).toBe(false);
    expect(new InvalidOptionError("x") instanceof a.InvalidOptionError).toBe(false);
  });

  it("instanceof recognises classes marked by a static field, as earlier versions marked them", () => {
    const mark = Symbol.for("@mcp-persist/foo/FooError");
    class FooError extends Error {
      static readonly [mark] = true;
    }
    class InvalidOptionError extends FooError {}
    expect(new InvalidOptionError("x") instanceof a.InvalidOptionError).toBe(true);
    expect(new InvalidOptionError("x") instanceof a.FooTimeoutError).toBe(false);
  });

  it("instanceof is false for values that are not objects", () => {
    for (const value of [null, undefined, "InvalidOptionError", 1, Symbol("x")] as unknown[]) {
      expect(a.FooError[Symbol.hasInstance](value)).toBe(false);
    }
  });
});
