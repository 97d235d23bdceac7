import { createCache } from "@mcp-persist/cache-core";
import { createToolPolicies, mcpCaller } from "@mcp-persist/mcp";
import { createToolRateLimiter } from "@mcp-persist/ratelimit";
import { hostileValue, jsonValue } from "@mcp-persist/test-kit/arbitraries";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { caller, duration, field, name, optionsOf } from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { openStore } from "./support/stores";
import { settledTyped, typedOutcome, UntypedError } from "./support/typed";

reportInputs("mcp");

// The SDK warns on stderr about every tool name outside its naming standard: hostile names are
// the point here, so its warnings are muted for this file.
beforeAll(() => void vi.spyOn(console, "warn").mockImplementation(() => {}));
afterAll(() => vi.restoreAllMocks());

const store = openStore("lru");
const cache = createCache({ store, defaultTtlMs: 60_000 });
const limiter = createToolRateLimiter({ store, perCallerPerTool: { limit: 1000, windowMs: 60_000 } });
const bool = fc.boolean();

const policiesOptions = optionsOf({
  cache: fc.constant(cache),
  limiter: fc.constant(limiter),
  lockStore: fc.constant(store),
  caller: fc.oneof(
    fc.record({ prefer: fc.constantFrom("session", "client"), identity: name }, { requiredKeys: [] }),
    fc.constant(() => "resolved"),
  ),
  chargeCacheHits: bool,
  logger: fc.constant({ debug() {}, info() {}, warn() {}, error() {} }),
  onEvent: fc.constant(() => {}),
});

const keyFrom = fc.oneof(
  name,
  fc.constant(() => "from-args"),
);
const lockFields = {
  ttlMs: duration,
  waitMs: fc.constantFrom(0, 5),
  namespace: name,
  busyMessage: name,
  storeTimeoutMs: fc.constantFrom(50, 250),
};
const cachePolicy = fc.record(
  { ttlMs: duration, staleTtlMs: duration, perCaller: bool, version: name, force: bool },
  { requiredKeys: [] },
);
/** A declaration: plausible fields, one of them (or lock and once together) now and then anything. */
const declaration = fc
  .tuple(
    optionsOf({
      description: fc.string(),
      inputSchema: fc.constantFrom({ q: z.string().optional() }, z.object({ q: z.unknown() })),
      annotations: fc.record(
        { readOnlyHint: bool, idempotentHint: bool, destructiveHint: bool },
        { requiredKeys: [] },
      ),
      cache: fc.oneof(bool, cachePolicy),
      rateLimit: fc.oneof(bool, fc.record({ cost: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: [] })),
    }),
    fc.oneof(
      fc.constant({}),
      fc.record({ lock: fc.record({ resource: keyFrom, ...lockFields }, { requiredKeys: ["resource"] }) }),
      fc.record({
        once: fc.record({ key: keyFrom, resultTtlMs: duration, ...lockFields }, { requiredKeys: ["key"] }),
      }),
      fc.record(
        {
          lock: optionsOf({ resource: keyFrom, ...lockFields }),
          once: optionsOf({ key: keyFrom, ...lockFields }),
        },
        { requiredKeys: [] },
      ),
    ),
  )
  .map(([base, guard]) => (typeof base === "object" && base !== null ? { ...base, ...guard } : base));

/** An SDK v1 `extra`, as the server hands a tool handler, with a random identity. */
const extra = fc
  .record({ sessionId: fc.option(name, { nil: undefined }), clientId: fc.option(name, { nil: undefined }) })
  .map(({ sessionId, clientId }) => ({
    signal: new AbortController().signal,
    requestId: 1,
    sessionId,
    authInfo: clientId === undefined ? undefined : { token: "t", clientId, scopes: [] },
    sendNotification: async () => {},
    sendRequest: async () => ({}),
  }));

/** Whether the SDK itself refuses this registration (the policies may throw what it throws, nothing else). */
function sdkRefuses(registerName: unknown, config: unknown): boolean {
  const { cache: _c, rateLimit: _r, lock: _l, once: _o, ...sdkConfig } = config as Record<string, unknown>;
  try {
    new McpServer({ name: "oracle", version: "1.0.0" }).registerTool(
      registerName as string,
      sdkConfig as never,
      () => ({ content: [] }),
    );
    return false;
  } catch {
    return true;
  }
}

describe("createToolPolicies, registerTool and the registered handler, given anything", () => {
  it("throw a typed error (or what the SDK throws for the same registration), or serve a tool that answers", async () => {
    const answering = async () => ({ content: [{ type: "text" as const, text: "ok" }] });
    const handler = fc.oneof(
      { weight: 5, arbitrary: fc.constant(answering) },
      { weight: 1, arbitrary: hostileValue },
    );
    await fc.assert(
      fc.asyncProperty(
        policiesOptions,
        field(name),
        declaration,
        handler,
        fc.oneof(jsonValue, hostileValue),
        extra,
        async (options, toolName, config, fn, args, context) => {
          tried1();
          const policies = tally(
            "createToolPolicies",
            typedOutcome(() => createToolPolicies(options as never)),
          );
          if (!policies.ok) return;
          const server = new McpServer({ name: "fuzz", version: "1.0.0" });
          type Registered = { handler: (...params: unknown[]) => unknown };
          let registered: Registered | undefined;
          try {
            registered = policies.value.registerTool(
              server,
              toolName as string,
              config as never,
              fn as never,
            ) as unknown as Registered;
            tally("registerTool", { ok: true });
          } catch (error) {
            tally("registerTool", { ok: false });
            if (error instanceof Error && error.message.startsWith("[@mcp-persist/")) {
              typedOutcome(() => {
                throw error;
              });
            } else if (!sdkRefuses(toolName, config)) {
              throw new UntypedError("registerTool threw what the SDK does not", { cause: error });
            }
            return;
          }
          const hasInput = (config as { inputSchema?: unknown }).inputSchema !== undefined;
          const call = () => (hasInput ? registered?.handler(args, context) : registered?.handler(context));
          // A junk handler's own error, or junk answer (`() => 1`, passed on as the SDK passes it
          // on), is its own; the answering handler's call must answer, or fail typed.
          const result = tally(
            "tool call",
            await settledTyped(
              async () => (await call()) as unknown,
              () => fn !== answering,
            ),
          );
          if (result.ok && fn === answering)
            expect(result.value).toMatchObject({ content: expect.any(Array) });
        },
      ),
      runs(700),
    );
  });

  it("mcpCaller returns a caller, undefined, or a typed error", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileValue,
          fc.record({
            sessionId: field(name),
            authInfo: field(fc.record({ clientId: field(name) })),
            http: hostileValue,
          }),
        ),
        hostileValue,
        caller,
        (context, options, who) => {
          tried1();
          const found = typedOutcome(() => mcpCaller(context as never, options as never));
          if (found.ok && found.value !== undefined)
            expect(["string", "object"]).toContain(typeof found.value);
          const resolved = typedOutcome(() =>
            mcpCaller(context as never, { identity: typeof who === "string" ? who : undefined }),
          );
          if (resolved.ok && resolved.value !== undefined)
            expect(resolved.value).toEqual(expect.objectContaining({}));
        },
      ),
      runs(800),
    );
  });
});
