import { randomUUID } from "node:crypto";
import { createCache, InvalidOptionError, type ToolCall } from "@mcp-persist/cache-core";
import { callerDigest } from "@mcp-persist/keys";
import { useRedis } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";
import {
  createRateLimiter,
  createToolRateLimiter,
  denialMessage,
  mcpCaller,
  RateLimitArgumentError,
  type RateLimitResult,
  rateLimitedResult,
} from "../src/index";
import { PATIENT, storeKinds } from "./support/stores";

const redis = useRedis();

describe("mcpCaller", () => {
  it("is the session where there is one, else the client identity, else unknown", () => {
    const authInfo = { clientId: "client-7" };
    expect(mcpCaller({ sessionId: "s-1", authInfo })).toEqual({ session: "s-1" });
    expect(mcpCaller({ sessionId: "s-1", authInfo }, { prefer: "client" })).toEqual({ client: "client-7" });
    expect(mcpCaller({ sessionId: "s-1" }, { prefer: "client" })).toEqual({ session: "s-1" });
    expect(mcpCaller({ authInfo })).toEqual({ client: "client-7" });
    expect(mcpCaller({ http: { authInfo } })).toEqual({ client: "client-7" }); // SDK v2: no sessions
    expect(mcpCaller({}, { identity: "stdio-user" })).toEqual({ client: "stdio-user" });
    expect(mcpCaller({ sessionId: "", authInfo: { clientId: "" } })).toBeUndefined();
  });

  // SDK v1 calls a tool registered without inputSchema as handler(extra): a handler written
  // (args, extra) then passes undefined. Read as "no caller", it would put every caller in the one
  // anonymous bucket without a word; it is refused instead, saying which parameter extra is.
  it.each([undefined, null, "s-1", 7])("refuses %s instead of an extra or ctx object", (context) => {
    const attempt = () => mcpCaller(context as never);
    expect(attempt).toThrow(RateLimitArgumentError);
    expect(attempt).toThrow(/mcpCaller\(\) needs the tool handler's extra \(SDK v1\) or ctx \(SDK v2\)/);
    expect(attempt).toThrow(/called as handler\(extra\): take extra as its first parameter$/);
    expect(attempt).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
  });

  it("a handler without inputSchema gets extra as its only argument, and reads the caller from it", () => {
    const handler = (extra: { sessionId?: string }) => mcpCaller(extra);
    expect(handler({ sessionId: "s-1" })).toEqual({ session: "s-1" });
    // Any object is a context, even one without a prototype: its caller is simply unknown.
    expect(mcpCaller(Object.create(null))).toBeUndefined();
  });

  it.each([
    [{ prefer: "user" }, 'prefer must be "session" or "client", got "user"'],
    [{ identity: 42 }, "identity must be a string, got 42"],
    [{ identity: Object.create(null) }, "identity must be a string, got an object"],
    [null, 'mcpCaller() options must be an object, e.g. { prefer: "client" }, got null'],
  ])("refuses options %s", (options, message) => {
    const attempt = () => mcpCaller({}, options as never);
    expect(attempt).toThrow(InvalidOptionError);
    expect(attempt).toThrow(`[@mcp-persist/ratelimit] ${message}`);
  });
});

describe("the denial as an MCP tool result", () => {
  const denied = (overrides: Partial<RateLimitResult>): RateLimitResult => ({
    allowed: false,
    reason: "limited",
    rule: "perCallerPerTool",
    limit: 5,
    windowMs: 60_000,
    remaining: 0,
    resetAtMs: 0,
    retryAfterMs: 11_001,
    ...overrides,
  });

  it("reads as the guides show, with the retry-after rounded up", () => {
    expect(rateLimitedResult({ ...denied({}), tool: "send_email" })).toEqual({
      isError: true,
      content: [
        { type: "text", text: "Rate limit exceeded: max 5 send_email calls per minute. Retry after 12 s." },
      ],
    });
  });

  it("refuses a result that allowed the call, instead of telling the model to wait", () => {
    const allowed = denied({ allowed: true, reason: "ok", remaining: 4, retryAfterMs: 0 });
    for (const attempt of [() => rateLimitedResult(allowed), () => denialMessage(allowed, "send_email")]) {
      expect(attempt).toThrow(RateLimitArgumentError);
      expect(attempt).toThrow(
        "[@mcp-persist/ratelimit] rateLimitedResult() and denialMessage() take a result that denied the call (allowed: false), got allowed: true; return the tool's own result when the check allowed it",
      );
    }
    expect(() => rateLimitedResult(undefined as never)).toThrow(/got undefined;/);
    expect(() => rateLimitedResult(Object.create(null))).toThrow(/got allowed: undefined;/);
  });

  it("names the rule and says the window as a person would", () => {
    expect(denialMessage(denied({ rule: "perCaller", limit: 100, windowMs: 3_600_000 }), "x")).toBe(
      "Rate limit exceeded: max 100 tool calls per hour. Retry after 12 s.",
    );
    expect(denialMessage(denied({ rule: "perTool", windowMs: 120_000, retryAfterMs: 1 }), "search")).toBe(
      "Rate limit exceeded: max 5 search calls per 2 minutes across all callers. Retry after 1 s.",
    );
    expect(denialMessage(denied({ rule: "default", windowMs: 1500 }))).toBe(
      "Rate limit exceeded: max 5 calls per 1500 ms. Retry after 12 s.",
    );
    expect(denialMessage(denied({ reason: "degraded", retryAfterMs: 1000 }), "send_email")).toBe(
      "Rate limit unavailable: send_email calls are paused. Retry after 1 s.",
    );
  });
});

describe.each(storeKinds(redis))("a tool handler on $name", (kind) => {
  it("serves calls up to the limit, then returns the denial to the model", async () => {
    const limiter = createToolRateLimiter({
      ...PATIENT,
      store: kind.open(),
      prefix: randomUUID(),
      perCallerPerTool: { limit: 2, windowMs: 60_000 },
    });
    // The handler as the README writes it; `extra` is what SDK v1 passes.
    const sendEmail = async (_args: { to: string }, extra: { sessionId?: string }) => {
      const result = await limiter.check({ tool: "send_email", caller: mcpCaller(extra) });
      if (!result.allowed) return rateLimitedResult(result);
      return { content: [{ type: "text" as const, text: "sent" }] };
    };
    const extra = { sessionId: randomUUID() };
    expect(await sendEmail({ to: "a" }, extra)).toEqual({ content: [{ type: "text", text: "sent" }] });
    expect(await sendEmail({ to: "b" }, extra)).toEqual({ content: [{ type: "text", text: "sent" }] });
    const third = await sendEmail({ to: "c" }, extra);
    expect(third).toMatchObject({ isError: true });
    expect(third.content[0]?.text).toMatch(
      /^Rate limit exceeded: max 2 send_email calls per minute\. Retry after 60 s\.$/,
    );
    expect(await sendEmail({ to: "d" }, { sessionId: randomUUID() })).toEqual({
      content: [{ type: "text", text: "sent" }],
    });
  });
});

describe.each(storeKinds(redis))("one ToolCall for the cache and the limiter on $name", (kind) => {
  it("takes the cache's ToolCall as is, and counts an object caller by its canonical digest", async () => {
    const store = kind.open();
    const limiter = createToolRateLimiter({
      ...PATIENT,
      store,
      prefix: randomUUID(),
      perCallerPerTool: { limit: 2, windowMs: 60_000 },
    });
    const cache = createCache({ store, defaultTtlMs: 60_000, namespace: randomUUID() });
    const user = randomUUID();
    // One object, one caller word, for both; no JSON.stringify of the caller by hand.
    const call: ToolCall = { tool: "get_metrics", args: { range: "1h" }, caller: { user, tenant: "acme" } };
    let upstream = 0;
    expect((await limiter.check(call)).allowed).toBe(true);
    expect(await cache.wrap(call, async () => ++upstream)).toBe(1);
    // The same identity with its parts in another order is the same caller: the last unit, then denied.
    const reordered: ToolCall = { ...call, caller: { tenant: "acme", user } };
    expect((await limiter.check(reordered)).allowed).toBe(true);
    expect(await cache.wrap(reordered, async () => ++upstream)).toBe(1);
    expect((await limiter.check(reordered)).allowed).toBe(false);
    // Another caller has its own bucket and its own entry.
    const other: ToolCall = { ...call, caller: { user: randomUUID(), tenant: "acme" } };
    expect((await limiter.check(other)).allowed).toBe(true);
    expect(await cache.wrap(other, async () => ++upstream)).toBe(2);
  });
});

describe.each(storeKinds(redis).filter((kind) => kind.redis))("key layout on $name", (kind) => {
  it("keys carry the caller's digest, the tool, and a hash tag per slot group", async () => {
    const prefix = randomUUID();
    const caller = { client: "alice@example.com" };
    const store = kind.open();
    await createToolRateLimiter({
      ...PATIENT,
      store,
      prefix,
      algorithm: "gcra",
      perCallerPerTool: { limit: 5, windowMs: 60_000 },
      perCaller: { limit: 50, windowMs: 60_000 },
      perTool: { limit: 500, windowMs: 60_000 },
    }).check({ tool: "send:email{x}", caller });
    await createRateLimiter({
      ...PATIENT,
      store,
      prefix,
      algorithm: "gcra",
      limit: 5,
      windowMs: 60_000,
    }).check("my key");
    const keys = (await redisCommand(redis().port, "KEYS", `${prefix}:*`)).split("\n").sort();
    const who = callerDigest(caller);
    expect(keys).toEqual(
      [
        `${prefix}:gcra:my%20key`,
        `${prefix}:gcra:_all:{send%3Aemail%7Bx%7D}`,
        `${prefix}:gcra:{${who}}`,
        `${prefix}:gcra:{${who}}:send%3Aemail%7Bx%7D`,
      ].sort(),
    );
    expect(keys.join("\n")).not.toContain("alice");
  });
});
