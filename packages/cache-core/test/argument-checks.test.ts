import { createCache, InvalidOptionError } from "@mcp-persist/cache-core";
import { memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { recordingLogger, setup, upstream } from "./support";

// Found by tools/fuzz (issue 17): arguments the cache took without a word and then failed on
// with a TypeError — at every call, or inside the call that was meant to report them.

const store = () => memoryStore();

describe("createCache refuses a part without its methods, where it is given", () => {
  it.each([
    [
      "logger",
      {},
      "logger must have debug, info, warn and error methods, like a pino logger; it has no debug, info, warn, error",
    ],
    ["logger", { warn() {}, error() {} }, "it has no debug, info"],
    ["logger", null, "logger must have debug, info, warn and error methods, like a pino logger; got null"],
    [
      "clock",
      {},
      "clock must be an object whose now() returns epoch milliseconds, e.g. systemClock; got an object with keys []",
    ],
    ["clock", { now: () => "soon" }, 'its now() returned "soon"'],
    ["clock", null, "clock must be an object whose now() returns epoch milliseconds"],
    ["isError", 5, "isError must be a function, got 5"],
    ["isError", null, "isError must be a function, got null"],
  ])("%s: %o", (name, value, message) => {
    const make = () => createCache({ store: store(), defaultTtlMs: 1000, [name]: value });
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(message);
  });

  it("a store must be one: a Map, or an object with get() but no run() or capabilities, is not", () => {
    const real = memoryStore();
    for (const value of [
      new Map(),
      { get: real.get },
      { ...real, capabilities: null },
      { ...real, run: 1 },
    ]) {
      expect(() => createCache({ store: value as never, defaultTtlMs: 1000 })).toThrow(
        "store must be an mcp-persist Store",
      );
    }
  });
});

describe("createCache checks every option's type, and takes null for no default", () => {
  it.each([
    ["hashTag", "yes", "hashTag must be true or false"],
    ["staleWhileRevalidate", 0, "staleWhileRevalidate must be true or false"],
    ["staleIfError", "false", "staleIfError must be true or false"],
    ["digestBytes", 7, "digestBytes must be an integer from 8 to 32, got 7"],
    ["digestBytes", 33, "digestBytes must be an integer from 8 to 32"],
    ["digestBytes", 16.5, "digestBytes must be an integer from 8 to 32"],
    ["digestBytes", "16", "digestBytes must be an integer from 8 to 32"],
    ["maxArgsLength", 0, "maxArgsLength must be an integer from 1 to 50000000, got 0"],
    ["maxArgsLength", 1.5, "maxArgsLength must be an integer from 1 to 50000000"],
    ["maxArgsLength", Number.POSITIVE_INFINITY, "maxArgsLength must be an integer"],
    ["codec", {}, "codec must be an object with encode(value) and decode(text) methods"],
    [
      "codec",
      { encode: JSON.stringify },
      "codec must be an object with encode(value) and decode(text) methods",
    ],
    ["onEvent", "log", 'onEvent must be a function, got "log"'],
    ["namespace", null, "namespace must be a non-empty string, got null"],
    ["jitter", null, "jitter must be a fraction"],
    ["staleTtlMs", null, "staleTtlMs must be a finite number ≥ 0, got null"],
    ["maxValueBytes", null, "maxValueBytes must be a positive finite number, got null"],
    ["generationRefreshMs", null, "generationRefreshMs must be a finite number ≥ 0"],
    ["hashTag", null, "hashTag must be true or false, got null"],
    ["codec", null, "codec must be an object"],
    ["onEvent", null, "onEvent must be a function, got null"],
    ["digestBytes", null, "digestBytes must be an integer from 8 to 32, got null"],
  ])("%s: %o", (name, value, message) => {
    const make = () => createCache({ store: store(), defaultTtlMs: 1000, [name]: value });
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(message);
  });

  it("takes the documented ranges", async () => {
    for (const digestBytes of [8, 32]) {
      for (const maxArgsLength of [1, 50_000_000]) {
        const cache = createCache({ store: store(), defaultTtlMs: 1000, digestBytes, maxArgsLength });
        expect(await cache.wrap({ tool: "t", args: 1 }, () => "ok")).toBe("ok");
      }
    }
  });
});

describe("wrap, delete and warm report a wrong argument with a typed error", () => {
  it("wrap(key, fn, null) and a non-function isError reject before fn runs", async () => {
    const { cache } = setup();
    const f = upstream(() => "value");
    for (const options of [null, 5, "ttl", [], { isError: 5 }, { isError: null }, { isError: "error" }]) {
      const call = cache.wrap({ tool: "t", args: {} }, f.fn, options as never);
      await expect(call).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(call).rejects.toThrow(/^\[@mcp-persist\/cache-core\] wrap\(/);
    }
    expect(f.calls).toBe(0);
    expect(await cache.wrap({ tool: "t", args: {} }, f.fn, { isError: () => false })).toBe("value");
  });

  it("wrap(key, notAFunction) rejects, cached entry or not", async () => {
    const { cache } = setup();
    await cache.wrap("k", () => "cached");
    for (const fn of [undefined, null, 5, "fn", {}, Promise.resolve("value")]) {
      for (const key of ["k", "missing", { tool: "t", args: {} }]) {
        const call = cache.wrap(key, fn as never);
        await expect(call).rejects.toBeInstanceOf(InvalidOptionError);
        await expect(call).rejects.toThrow(
          "takes the function that computes the result as its second argument",
        );
      }
    }
  });

  it("delete of a key that is neither a string nor a tool call rejects", async () => {
    const { cache } = setup();
    for (const key of [null, undefined, 5, 5n, Symbol("k"), { args: {} }, { tool: 5, args: {} }]) {
      const call = cache.delete(key as never);
      await expect(call).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(call).rejects.toThrow("delete() takes a string key or { tool, args, caller? }");
    }
    await cache.wrap("k", () => 1);
    expect(await cache.delete("k")).toBe(true);
  });

  it("warm of entries that are not iterable resolves, warms nothing and logs why", async () => {
    const { logger, lines } = recordingLogger(false);
    const { cache } = setup({ logger });
    const throwing = {
      *[Symbol.iterator]() {
        yield { key: "a", fn: () => 1 };
        throw new Error("iteration failed");
      },
    };
    for (const entries of [undefined, null, 5, {}, throwing]) {
      expect(await cache.warm(entries as never)).toEqual({ warmed: 0, failed: 0 });
    }
    for (const options of [null, 5, { concurrency: Symbol("c") }, { concurrency: 5n }]) {
      expect(await cache.warm([{ key: "b", fn: () => 2 }], options as never)).toEqual({
        warmed: 1,
        failed: 0,
      });
    }
    const warning = lines.find((line) => line.obj.event === "cache_warm_failed");
    expect(warning?.obj.err).toBeInstanceOf(InvalidOptionError);
    expect(String((warning?.obj.err as Error).message)).toContain(
      "warm() takes an iterable of { key, fn, options? }",
    );
  });
});
