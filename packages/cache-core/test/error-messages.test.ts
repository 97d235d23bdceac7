import {
  CodecError,
  createCache,
  defaultCodec,
  InvalidOptionError,
  InvalidTtlError,
  McpPersistError,
  ScriptError,
} from "@mcp-persist/cache-core";
import {
  createLocalContext,
  defineScript,
  memoryKeyspace,
  runLocalScript,
} from "@mcp-persist/cache-core/kit";
import { createManualClock, memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { setup } from "./support";

/**
 * Values whose naive printing throws: String(), template literals and JSON.stringify each fail on
 * some. Messages print values with `describeValue` from `@mcp-persist/keys`, which never throws.
 */
const hostile = (): unknown[] => [
  5n,
  Object.create(null),
  Symbol("s"),
  { toString: () => ({}) }, // String() throws: toString returns an object
  new Proxy(
    {},
    {
      get() {
        throw new Error("trap");
      },
      getPrototypeOf() {
        throw new Error("trap");
      },
    },
  ),
  (() => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    return cyclic;
  })(),
];

describe("building an error message never throws", () => {
  it("createCache reports each bad option with its typed error", () => {
    const store = memoryStore();
    expect(() => createCache({ store, defaultTtlMs: 5n as never })).toThrow(
      "[@mcp-persist/cache-core] defaultTtlMs must be a positive finite number of milliseconds, got 5n",
    );
    expect(() => createCache({ store, defaultTtlMs: 1000, namespace: Object.create(null) })).toThrow(
      "namespace must be a non-empty string, got an object with keys []",
    );
    for (const value of hostile()) {
      expect(() => createCache({ store, defaultTtlMs: value as number })).toThrow(InvalidTtlError);
      for (const name of [
        "storeTimeoutMs",
        "opTimeoutMs",
        "jitter",
        "staleTtlMs",
        "maxValueBytes",
        "generationRefreshMs",
        "generationTtlMs",
        "namespace",
        "requireCaller",
        "requireScope",
        "staleWhileRevalidate",
        "staleIfError",
        "hashTag",
        "digestBytes",
        "maxArgsLength",
        "codec",
        "isError",
        "onEvent",
        "logger",
        "clock",
      ]) {
        expect(() => createCache({ store, defaultTtlMs: 1000, [name]: value }), name).toThrow(
          InvalidOptionError,
        );
      }
    }
  });

  it("wrap reports bad per-call options with their typed errors", async () => {
    const { cache } = setup();
    for (const value of hostile()) {
      await expect(cache.wrap("k", () => 1, { ttlMs: value as number })).rejects.toBeInstanceOf(
        InvalidTtlError,
      );
      await expect(cache.wrap("k", () => 1, { staleTtlMs: value as number })).rejects.toBeInstanceOf(
        InvalidOptionError,
      );
      for (const name of ["requireCaller", "requireScope"]) {
        await expect(cache.wrap("k", () => 1, { [name]: value as boolean })).rejects.toBeInstanceOf(
          InvalidOptionError,
        );
      }
    }
  });

  it("the codec reports what a toJSON threw, whatever it threw", () => {
    for (const thrown of hostile()) {
      const value = {
        toJSON() {
          throw thrown;
        },
      };
      expect(() => defaultCodec.encode(value)).toThrow(CodecError);
    }
  });

  it("a script body that throws a non-error becomes a ScriptError", () => {
    const clock = createManualClock();
    const ctx = createLocalContext(memoryKeyspace(clock), clock);
    for (const thrown of hostile()) {
      const script = defineScript({
        name: "throws",
        lua: "return 1",
        local() {
          throw thrown;
        },
      });
      expect(() => runLocalScript(script, ctx, [], [])).toThrow(ScriptError);
    }
  });

  it("every typed error names the package, with a stable code", () => {
    const error = new InvalidTtlError("@mcp-persist/cache-core", "ttlMs", Object.create(null));
    expect(error).toBeInstanceOf(McpPersistError);
    expect(error.message).toBe(
      "[@mcp-persist/cache-core] ttlMs must be a positive finite number of milliseconds, got an object with keys []",
    );
  });
});
