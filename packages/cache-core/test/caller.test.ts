import { type Caller, InvalidOptionError, type ToolCall } from "@mcp-persist/cache-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setup, upstream } from "./support";

const invoices = (who?: Caller): ToolCall => ({
  tool: "get_invoices",
  args: { month: "2026-10" },
  caller: who,
});

describe("the caller of a tool call", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("keeps the key layout of the release that called it `scope`: deployed entries keep hitting", async () => {
    const { cache, store } = setup();
    await cache.wrap(invoices("alice"), async () => "alice's invoices");
    await cache.wrap(invoices({ tenant: "acme", user: "u_42" }), async () => "u_42's invoices");
    await cache.invalidateCaller("alice");
    // Golden keys, written by the release before `caller` from `{ scope }`: the entry of a caller and
    // its generation counter (`~g:s:` + the same 32-hex digest) are where they always were.
    expect(
      await store.get(
        "mcp:get_invoices:v1:5e0f217ada7a7a57cce1f1eff23dcba3:d0a02ca8249a024436a190cacd7d4463",
      ),
    ).toEqual(expect.stringContaining("alice's invoices"));
    expect(
      await store.get(
        "mcp:get_invoices:v1:c09497f47cb3f7a2dcba17c2e6323167:d0a02ca8249a024436a190cacd7d4463",
      ),
    ).toEqual(expect.stringContaining("u_42's invoices"));
    expect(await store.get("mcp:~g:s:5e0f217ada7a7a57cce1f1eff23dcba3")).toBeDefined();
  });

  it("finds under `caller` what was cached under the deprecated `scope`, and the reverse", async () => {
    const { cache } = setup();
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const f = upstream((n) => n);
    for (const who of ["alice", { user: "bob", tenant: "t1" }] as const) {
      const first = await cache.wrap({ tool: "get_invoices", args: {}, scope: who }, f.fn);
      expect(await cache.wrap({ tool: "get_invoices", args: {}, caller: who }, f.fn)).toBe(first);
      const second = await cache.wrap({ tool: "get_profile", args: {}, caller: who }, f.fn);
      expect(await cache.wrap({ tool: "get_profile", args: {}, scope: who }, f.fn)).toBe(second);
      expect(await cache.delete({ tool: "get_profile", args: {}, scope: who })).toBe(true);
    }
    expect(f.calls).toBe(4);
  });

  it("refuses a call that names both caller and scope: two identities for one call is a bug", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    const both = { tool: "get_profile", args: {}, caller: "alice", scope: "bob" };
    await expect(cache.wrap(both, f.fn)).rejects.toThrow(InvalidOptionError);
    await expect(cache.wrap(both, f.fn)).rejects.toThrow(/caller or its deprecated name scope, not both/);
    await expect(cache.delete(both)).rejects.toThrow(InvalidOptionError);
    expect(f.calls).toBe(0);
  });
});

describe("the deprecated scope names", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("still work for one release: requireScope per cache, per tool and per call, and invalidateScope", async () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const f = upstream((n) => n);
    const perCache = setup({ requireScope: true }).cache;
    await perCache.wrap({ tool: "a", args: {} }, f.fn);
    const perTool = setup({ tools: { a: { requireScope: true } } }).cache;
    await perTool.wrap({ tool: "a", args: {} }, f.fn);
    const perCall = setup().cache;
    await perCall.wrap({ tool: "a", args: {} }, f.fn, { requireScope: true });
    for (const cache of [perCache, perTool, perCall]) {
      expect(cache.stats().tools.a?.bypass["no-scope"]).toBe(1);
    }
    // The new name wins when both are given, as storeTimeoutMs does over opTimeoutMs.
    const both = setup({ requireCaller: false, requireScope: true }).cache;
    await both.wrap({ tool: "a", args: {} }, f.fn);
    expect(both.stats().tools.a?.bypass["no-scope"]).toBe(0);

    const { cache } = setup();
    await cache.wrap(invoices("alice"), f.fn);
    await cache.invalidateScope("alice");
    expect(await cache.wrap(invoices("alice"), f.fn)).toBe(f.calls);
  });

  it("each warn once per process, naming the new name, with code MCP_PERSIST_DEPRECATED", async () => {
    // A fresh copy of the package: the warnings are once per process, and other tests use the old names.
    vi.resetModules();
    const { createCache } = await import("@mcp-persist/cache-core");
    const { memoryStore } = await import("@mcp-persist/cache-core/testing");
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    for (let round = 0; round < 2; round++) {
      const cache = createCache({
        store: memoryStore(),
        defaultTtlMs: 60_000,
        requireScope: false,
        tools: { a: { requireScope: false } },
      });
      await cache.wrap({ tool: "a", args: {}, scope: "alice" }, async () => 1, { requireScope: false });
      await cache.invalidateScope("alice");
    }
    const messages = emit.mock.calls.map(([message]) => String(message));
    expect(messages).toEqual([
      "[@mcp-persist/cache-core] createCache({ requireScope }) is deprecated and will be removed in the next major: use createCache({ requireCaller })",
      "[@mcp-persist/cache-core] createCache({ tools: { <tool>: { requireScope } } }) is deprecated and will be removed in the next major: use createCache({ tools: { <tool>: { requireCaller } } })",
      "[@mcp-persist/cache-core] { tool, args, scope } is deprecated and will be removed in the next major: use { tool, args, caller }",
      "[@mcp-persist/cache-core] wrap(key, fn, { requireScope }) is deprecated and will be removed in the next major: use wrap(key, fn, { requireCaller })",
      "[@mcp-persist/cache-core] cache.invalidateScope() is deprecated and will be removed in the next major: use cache.invalidateCaller()",
    ]);
    for (const [, options] of emit.mock.calls) {
      expect(options).toEqual({ type: "DeprecationWarning", code: "MCP_PERSIST_DEPRECATED" });
    }
  });
});
