import { InvalidOptionError, InvalidTtlError } from "@mcp-persist/cache-core";
import { lruStore } from "@mcp-persist/store-lru";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createToolPolicies, type ToolPolicies } from "../src/index";
import { cacheOn, limiterOn } from "./support/parts";

// Every mistake in a declaration shows at registration, before the SDK sees the tool.

const handler = async () => ({ content: [] });

function attempt(policies: ToolPolicies, config: Record<string, unknown>) {
  const server = new McpServer({ name: "declarations", version: "1.0.0" });
  const register = () => policies.registerTool(server, "send_email", config as never, handler);
  return { register, server };
}

describe("tool declarations", () => {
  const store = lruStore({ max: 100 });
  const full = createToolPolicies({
    cache: cacheOn(store),
    limiter: limiterOn(store, { perCallerPerTool: { limit: 5, windowMs: 60_000 } }),
  });

  it.each([
    [
      {},
      { cache: true },
      /send_email declares cache, but createToolPolicies\(\) got no cache: pass \{ cache: createCache/,
    ],
    [{}, { rateLimit: true }, /send_email declares rateLimit, but createToolPolicies\(\) got no limiter/],
    [
      {},
      { lock: { resource: "r" } },
      /send_email declares lock, but createToolPolicies\(\) got neither lockStore nor cache/,
    ],
  ])("needs the part a policy runs on", (options, config, message) => {
    const { register } = attempt(createToolPolicies(options), config);
    expect(register).toThrow(InvalidOptionError);
    expect(register).toThrow(message);
  });

  it.each([
    [
      { cache: { ttl: 5 } },
      'send_email: cache: unknown option "ttl"; the options are ttlMs, staleTtlMs, perCaller, version, force (did you mean "ttlMs"?)',
    ],
    [
      { cache: "yes" },
      'send_email: cache must be true, false or { ttlMs, staleTtlMs, perCaller, version… }, got "yes"',
    ],
    [{ cache: { perCaller: "yes" } }, 'send_email: cache.perCaller must be true or false, got "yes"'],
    [{ cache: { version: "" } }, 'send_email: cache.version must be a non-empty string, got ""'],
    [
      { cache: { staleTtlMs: -1 } },
      "send_email: cache.staleTtlMs must be a number of milliseconds from 0, got -1",
    ],
    [{ rateLimit: { cost: 0 } }, "send_email: rateLimit.cost must be a positive integer, got 0"],
    [
      { rateLimit: { cost: 6 } },
      "send_email: rateLimit.cost 6 is more than the limiter's smallest limit (5)",
    ],
    [{ rateLimit: { weight: 2 } }, 'send_email: rateLimit: unknown option "weight"; the options are cost'],
    [{ lock: { resource: "a" }, once: { key: "b" } }, "send_email declares both lock and once"],
    [
      { lock: { resource: "" } },
      'send_email: lock.resource must be a non-empty string or a function (args, ctx) => string, got ""',
    ],
    [
      { once: {} },
      "send_email: once.key must be a non-empty string or a function (args, ctx) => string, got undefined",
    ],
    [{ lock: { resource: "a", busyMessage: 3 } }, "send_email: lock.busyMessage must be a string, got 3"],
    [{ cache: { force: "yes" } }, 'send_email: cache.force must be true or false, got "yes"'],
    // The options handed to withLock / once: checked now, not on every call (nor ignored when misspelt).
    [
      { lock: { resource: "a", waitMS: 5 } },
      'send_email: lock: unknown option "waitMS"; the options are resource, busyMessage, ttlMs, waitMs, retryBaseMs, retryMaxMs, onStoreDown, storeTimeoutMs, namespace, logger (did you mean "waitMs"?)',
    ],
    [
      { once: { key: "k", resultTTL: 5 } },
      'send_email: once: unknown option "resultTTL"; the options are key, busyMessage, ttlMs, waitMs, retryBaseMs, retryMaxMs, onStoreDown, storeTimeoutMs, namespace, logger, resultTtlMs, codec (did you mean "resultTtlMs"?)',
    ],
    [
      { lock: { resource: "a", codec: {} } },
      'send_email: lock: unknown option "codec"; the options are resource,',
    ],
    [
      { lock: { resource: "a", signal: new AbortController().signal } },
      "send_email: lock.signal cannot be given here: the request's signal is passed for every call",
    ],
    [
      { once: { key: "k", onStoreError: "proceed" } },
      'send_email: once.onStoreError cannot be given here: it is deprecated: use onStoreDown ("refuse" or "proceed")',
    ],
    [
      { lock: { resource: "a", waitMs: "5" } },
      "send_email: lock: waitMs must be a number of milliseconds from 0 and at most 2147483647",
    ],
    [
      { lock: { resource: "a", ttlMs: 2 ** 31 } },
      "send_email: lock: ttlMs must be a number of milliseconds above 0 and at most 2147483647",
    ],
    [
      { once: { key: "k", storeTimeoutMs: 0 } },
      "send_email: once: storeTimeoutMs must be a number of milliseconds above 0",
    ],
    [
      { lock: { resource: "a", retryMaxMs: null } },
      "send_email: lock: retryMaxMs must be a number of milliseconds above 0",
    ],
    [
      { lock: { resource: "a", onStoreDown: "fail" } },
      'send_email: lock: onStoreDown must be "refuse" (reject with LockUnavailableError) or "proceed" (run the function unlocked), got "fail"',
    ],
    [{ once: { key: "k", namespace: "" } }, 'send_email: once: namespace must be a non-empty string, got ""'],
    [
      { lock: { resource: "a", logger: { info() {} } } },
      "send_email: lock: logger must be a pino-style logger (an object with debug/info/warn/error methods), got",
    ],
    [
      { once: { key: "k", codec: { encode() {} } } },
      "send_email: once: codec must have encode(value) and decode(text) methods (cache-core's defaultCodec, or leave it out), got",
    ],
  ])("refuses %o", (config, message) => {
    const { register, server } = attempt(full, config);
    expect(register).toThrow(InvalidOptionError);
    expect(register).toThrow(`[@mcp-persist/mcp] ${message}`);
    // The SDK never saw it: the name is still free.
    expect(() => server.registerTool("send_email", {}, handler)).not.toThrow();
  });

  it("refuses a TTL that is not a positive number of milliseconds", () => {
    const { register } = attempt(full, { annotations: { readOnlyHint: true }, cache: { ttlMs: -5 } });
    expect(register).toThrow(InvalidTtlError);
    expect(register).toThrow(
      "send_email: cache.ttlMs must be a positive finite number of milliseconds, got -5",
    );
  });

  it.each([
    [
      { lock: { resource: "a", ttlMs: -5 } },
      "send_email: lock: ttlMs must be a positive finite number of milliseconds, got -5",
    ],
    [
      { once: { key: "k", resultTtlMs: 0 } },
      "send_email: once: resultTtlMs must be a positive finite number of milliseconds, got 0",
    ],
  ])("refuses the lease or result TTL of %o as withLock / once would, at registration", (config, message) => {
    const { register } = attempt(full, config);
    expect(register).toThrow(InvalidTtlError);
    expect(register).toThrow(`[@mcp-persist/mcp] ${message}`);
  });

  it("checks lock and once options with lock's own checks: its cap on resultTtlMs too, the tool named", () => {
    // Above Number.MAX_SAFE_INTEGER Redis refuses the PX: every call would fail as a store outage.
    const { register } = attempt(full, { once: { key: "k", resultTtlMs: 2 ** 60 } });
    expect(register).toThrow(InvalidOptionError);
    expect(register).toThrow(
      "[@mcp-persist/mcp] send_email: once: resultTtlMs must be at most 9007199254740991 ms",
    );
    const error = (() => {
      try {
        attempt(full, { lock: { resource: "a", ttlMs: -5 } }).register();
      } catch (caught) {
        return caught as InvalidTtlError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidTtlError);
    expect(error).toMatchObject({
      package: "@mcp-persist/mcp",
      option: "send_email: lock: ttlMs",
      value: -5,
    });
    expect(error?.cause).toBeInstanceOf(InvalidTtlError);
    expect(error?.cause).toMatchObject({ package: "@mcp-persist/lock", option: "ttlMs" });
  });

  it("refuses a misspelt createToolPolicies option: chargeCacheHit would leave hits free", () => {
    const make = () => createToolPolicies({ chargeCacheHit: true } as never);
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(
      '[@mcp-persist/mcp] createToolPolicies(): unknown option "chargeCacheHit"; the options are cache, limiter, lockStore, caller, chargeCacheHits, logger, onEvent (did you mean "chargeCacheHits"?)',
    );
  });

  it("takes every option withLock and once take", () => {
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const lockOptions = {
      ttlMs: 1000,
      waitMs: 0,
      retryBaseMs: 10,
      retryMaxMs: 100,
      onStoreDown: "proceed",
      storeTimeoutMs: 500,
      namespace: "app",
      logger,
    };
    expect(
      attempt(full, { lock: { resource: "a", busyMessage: "busy", ...lockOptions } }).register,
    ).not.toThrow();
    const codec = { encode: JSON.stringify, decode: JSON.parse };
    const once = { key: "k", busyMessage: "busy", ...lockOptions, resultTtlMs: 60_000, codec };
    expect(attempt(full, { once }).register).not.toThrow();
  });

  it("refuses force on a resource, which is never a mutation", () => {
    const server = new McpServer({ name: "declarations", version: "1.0.0" });
    const register = () =>
      full.registerResource(
        server,
        "docs",
        "docs://readme",
        { cache: { force: true } as never },
        async () => ({
          contents: [],
        }),
      );
    expect(register).toThrow(
      'resource:docs: cache: unknown option "force"; the options are ttlMs, staleTtlMs, perCaller, version',
    );
  });

  it("hands the SDK its own config and returns what the SDK returns", () => {
    const server = new McpServer({ name: "declarations", version: "1.0.0" });
    const registered = full.registerTool(
      server,
      "search_docs",
      {
        description: "Search the docs",
        inputSchema: { query: z.string() },
        annotations: { readOnlyHint: true },
        cache: { ttlMs: 1000 },
        rateLimit: true,
      },
      async ({ query }) => ({ content: [{ type: "text", text: query }] }),
    );
    expect(registered.description).toBe("Search the docs");
    expect(registered.annotations).toEqual({ readOnlyHint: true });
    expect(registered).not.toHaveProperty("cache");
    expect(typeof registered.disable).toBe("function");
  });

  it.each([
    [{ cache: {} }, "createToolPolicies(): cache must be a Cache from createCache(), got an object"],
    [{ chargeCacheHits: "no" }, 'createToolPolicies(): chargeCacheHits must be true or false, got "no"'],
    [{ onEvent: 1 }, "createToolPolicies(): onEvent must be a function, got 1"],
    // Every level is used: a logger without error() failed each call whose onEvent hook threw.
    [
      { logger: { warn() {} } },
      "createToolPolicies(): logger must have debug, info, warn and error methods, like a pino logger; it has no debug, info, error",
    ],
    // A misspelt identity would leave every stdio call anonymous.
    [{ caller: { identy: "me" } }, 'caller: unknown option "identy"; the options are prefer, identity'],
    // An object with run() alone is not a store: every lock or once call would fail on it.
    [
      { lockStore: { run() {} } },
      "createToolPolicies(): lockStore must be an mcp-persist Store, e.g. lruStore(), ioredisStore({ client }) or nodeRedisStore({ client }); got an object with keys [run]",
    ],
  ])("refuses createToolPolicies(%o)", (options, message) => {
    expect(() => createToolPolicies(options as never)).toThrow(`[@mcp-persist/mcp] ${message}`);
  });
});
