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
    [{ cache: { ttl: 5 } }, 'send_email: cache has no option "ttl"'],
    [
      { cache: "yes" },
      'send_email: cache must be true, false or { ttlMs, staleTtlMs, perCaller, version… }, got "yes"',
    ],
    [{ cache: { perCaller: "yes" } }, 'send_email: cache.perCaller must be a boolean, got "yes"'],
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
    [{ rateLimit: { weight: 2 } }, "send_email: rateLimit must be true, false or { cost }, got"],
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
    expect(register).toThrow('resource:docs: cache has no option "force"');
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
    [{ chargeCacheHits: "no" }, 'createToolPolicies(): chargeCacheHits must be a boolean, got "no"'],
    [{ onEvent: 1 }, "createToolPolicies(): onEvent must be a function, got 1"],
    // An object with run() alone is not a store: every lock or once call would fail on it.
    [
      { lockStore: { run() {} } },
      "createToolPolicies(): lockStore must be an mcp-persist Store, e.g. lruStore(), got an object with keys [run]",
    ],
  ])("refuses createToolPolicies(%o)", (options, message) => {
    expect(() => createToolPolicies(options as never)).toThrow(`[@mcp-persist/mcp] ${message}`);
  });
});
