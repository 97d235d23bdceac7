import { createHash } from "node:crypto";
import {
  callerDigest,
  canonicalize,
  digest,
  InvalidOptionError,
  joinKey,
  KeyError,
  keySegment,
  loadLogId,
  logId,
  MAX_TOOL_KEY_LENGTH,
  SHARED_CALLER,
  SHARED_SCOPE,
  scopeDigest,
  toolKey,
  toolPrefix,
} from "@mcp-persist/keys";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";

const call = { tool: "search_docs", args: { query: "mcp monitoring", limit: 5 } };

describe("toolKey", () => {
  it("lays a key out as namespace:tool:version:caller:digest", () => {
    expect(toolKey(call)).toMatch(/^mcp:search_docs:v1:_:[0-9a-f]{32}$/);
    expect(toolKey({ ...call, namespace: "acme", version: "v2" })).toMatch(
      /^acme:search_docs:v2:_:[0-9a-f]{32}$/,
    );
    expect(toolKey(call).startsWith(toolPrefix({ tool: "search_docs" }))).toBe(true);
    expect(toolKey(call).startsWith(toolPrefix())).toBe(true);
  });

  it("ignores argument order and separates different arguments, tools and versions", () => {
    expect(toolKey({ tool: "search_docs", args: { limit: 5, query: "mcp monitoring" } })).toBe(toolKey(call));
    const keys = new Set([
      toolKey(call),
      toolKey({ ...call, args: { ...call.args, limit: 6 } }),
      toolKey({ ...call, tool: "search_code" }),
      toolKey({ ...call, version: "v2" }),
      toolKey({ ...call, namespace: "other" }),
    ]);
    expect(keys.size).toBe(5);
  });

  it("hashes the caller into the key, so two callers never share an entry", () => {
    const alice = toolKey({ ...call, caller: { user: "alice" } });
    const bob = toolKey({ ...call, caller: { user: "bob" } });
    expect(alice).not.toBe(bob);
    expect(alice).not.toBe(toolKey(call));
    expect(alice).not.toContain("alice");
    expect(toolKey({ ...call, caller: { user: "alice", tenant: "t1" } })).not.toBe(alice);
    // The same string as a user and as a tenant, or as a bare identity, are different callers.
    expect(
      new Set([
        alice,
        toolKey({ ...call, caller: { tenant: "alice" } }),
        toolKey({ ...call, caller: "alice" }),
      ]).size,
    ).toBe(3);
  });

  it("puts one caller's keys in one Redis Cluster slot with hashTag", () => {
    const a = toolKey({ ...call, caller: "alice", hashTag: true });
    const b = toolKey({ tool: "other_tool", args: [1], caller: "alice", hashTag: true });
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    expect(tag(a)).toBe(callerDigest("alice"));
    expect(tag(a)).toBe(tag(b));
    expect(toolKey({ ...call, hashTag: true })).not.toContain("{");
  });

  it("keeps its length bounded whatever the size of the arguments or names", () => {
    const big = toolKey({
      tool: "t".repeat(5000),
      namespace: "n".repeat(5000),
      args: { blob: "x".repeat(500_000) },
      caller: "s",
    });
    expect(big.length).toBeLessThanOrEqual(MAX_TOOL_KEY_LENGTH);
    expect(toolKey({ tool: `${"t".repeat(5000)}a`, args: {} })).not.toBe(
      toolKey({ tool: `${"t".repeat(5000)}b`, args: {} }),
    );
  });

  it("reaches MAX_TOOL_KEY_LENGTH (402) exactly in the worst case, 370 with the default digest", () => {
    expect(MAX_TOOL_KEY_LENGTH).toBe(402);
    // 100 safe characters are kept whole; a longer or escaped name is cut to at most 100 as well.
    const worst = { namespace: "n".repeat(100), tool: "t".repeat(100), version: "v".repeat(100) };
    expect(toolKey({ ...worst, args: {}, caller: "s", hashTag: true, digestBytes: 32 })).toHaveLength(402);
    expect(toolKey({ ...worst, args: {}, caller: "s", hashTag: true })).toHaveLength(370);
    // The measurement with long names: 362, over the README's old "under ~300".
    expect(toolKey({ ...worst, args: {}, caller: "s" }).length).toBeGreaterThan(300);
  });

  it("never exceeds the bound for any names, caller, hash tag and digest size", () => {
    const unit = fc.oneof(
      fc.constantFrom("a", "%", ":", "~", "é", "😀", "\uD83D", "\uDE00"),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    );
    const name = fc.string({ unit, minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(
        name,
        name,
        name,
        fc.boolean(),
        fc.integer({ min: 8, max: 32 }),
        (namespace, tool, version, hashTag, digestBytes) => {
          const key = toolKey({
            namespace,
            tool,
            version,
            args: [tool],
            caller: version,
            hashTag,
            digestBytes,
          });
          expect(key.length).toBeLessThanOrEqual(3 * 101 + 34 + 1 + 2 * digestBytes);
          expect(key.length).toBeLessThanOrEqual(MAX_TOOL_KEY_LENGTH);
          expect(key).toMatch(/^[\x21-\x7e]+$/); // printable ASCII: bytes = characters
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("cannot be steered by separators, braces, globs or newlines in names", () => {
    // Each pair would collide if names were joined raw.
    const pairs: [Parameters<typeof toolKey>[0], Parameters<typeof toolKey>[0]][] = [
      [
        { namespace: "a:b", tool: "c", args: 1 },
        { namespace: "a", tool: "b:c", args: 1 },
      ],
      [
        { tool: "x:v1", version: "v1", args: 1 },
        { tool: "x", version: "v1:v1", args: 1 },
      ],
      [
        { tool: "{tag}", args: 1 },
        { tool: "%7Btag%7D", args: 1 },
      ],
    ];
    for (const [a, b] of pairs) expect(toolKey(a)).not.toBe(toolKey(b));
    const nasty = toolKey({ tool: "a:b{c}*\n d", namespace: "ns*", args: 1, caller: "s", hashTag: true });
    expect(nasty).toMatch(/^[A-Za-z0-9_.%~:-]+:\{[0-9a-f]{32}\}:[0-9a-f]{32}$/);
    expect(nasty.match(/\{/g)).toHaveLength(1);
  });

  it("keeps the key layout of releases that called the caller `scope`: deployed entries keep hitting", () => {
    // Golden keys written by the release before `caller` (built from `{ scope }`).
    const invoices = { tool: "get_invoices", args: { month: "2026-10" } };
    expect(toolKey({ ...invoices, caller: { tenant: "acme", user: "u_42" } })).toBe(
      "mcp:get_invoices:v1:c09497f47cb3f7a2dcba17c2e6323167:d0a02ca8249a024436a190cacd7d4463",
    );
    expect(toolKey({ ...invoices, caller: "alice", hashTag: true })).toBe(
      "mcp:get_invoices:v1:{5e0f217ada7a7a57cce1f1eff23dcba3}:d0a02ca8249a024436a190cacd7d4463",
    );
    expect(callerDigest({ user: "alice" })).toBe("e8b930597191bd1e45098d57620d2666");
    // The deprecated names give the same key and digest as the new ones.
    for (const who of ["alice", { user: "alice", tenant: "t1" }, { session: "s-1" }]) {
      expect(toolKey({ ...invoices, scope: who })).toBe(toolKey({ ...invoices, caller: who }));
      expect(toolKey({ ...invoices, scope: who, hashTag: true })).toBe(
        toolKey({ ...invoices, caller: who, hashTag: true }),
      );
      expect(scopeDigest(who)).toBe(callerDigest(who));
    }
    expect(SHARED_SCOPE).toBe(SHARED_CALLER);
  });

  it("warns once that scope is deprecated, and refuses scope and caller together", async () => {
    // A fresh copy of the package: the warning is once per process, and other tests use `scope`.
    vi.resetModules();
    const fresh = await import("@mcp-persist/keys");
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      fresh.toolKey({ ...call, scope: "alice" });
      fresh.toolKey({ ...call, scope: "bob" });
      fresh.scopeDigest("alice");
      expect(() => fresh.toolKey({ ...call, caller: "alice", scope: "alice" })).toThrow(
        expect.objectContaining({
          code: "ERR_INVALID_OPTION",
          message: expect.stringMatching(/caller only/),
        }),
      );
      expect(emit.mock.calls).toEqual([
        [
          expect.stringMatching(
            /^\[@mcp-persist\/keys\] toolKey\(\{ scope \}\) is deprecated.*toolKey\(\{ caller \}\)/,
          ),
          { type: "DeprecationWarning", code: "MCP_PERSIST_DEPRECATED" },
        ],
        [
          expect.stringMatching(/scopeDigest\(\) is deprecated.*callerDigest\(\)/),
          { type: "DeprecationWarning", code: "MCP_PERSIST_DEPRECATED" },
        ],
      ]);
    } finally {
      emit.mockRestore();
    }
  });

  it("rejects a bad tool name, caller, args or digest size with a KeyError", () => {
    expect(() => toolKey({ tool: "", args: 1 })).toThrow(KeyError);
    // Without a tool it used to return a 3-segment key, `mcp:_:<digest>`.
    expect(() => toolKey({ args: {} } as never)).toThrow(
      expect.objectContaining({
        code: "ERR_KEY_INVALID_SEGMENT",
        message: expect.stringMatching(/needs a tool name/),
      }),
    );
    expect(() => toolKey(undefined as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_OPTION" }),
    );
    expect(() => toolPrefix(null as never)).toThrow(expect.objectContaining({ code: "ERR_INVALID_OPTION" }));
    expect(() => toolKey({ ...call, caller: "" })).toThrow(
      expect.objectContaining({ code: "ERR_KEY_INVALID_SCOPE" }),
    );
    expect(() => toolKey({ ...call, caller: {} })).toThrow(/no user, tenant, session or client/);
    expect(() => toolKey({ ...call, caller: { user: 42 as unknown as string } })).toThrow(KeyError);
    expect(() => toolKey({ ...call, args: { f: () => 1 } })).toThrow(
      expect.objectContaining({ code: "ERR_KEY_UNSUPPORTED_TYPE" }),
    );
    expect(() => toolKey({ ...call, digestBytes: 4 })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_OPTION" }),
    );
    expect(() => toolKey({ ...call, args: "x".repeat(50), maxArgsLength: 10 })).toThrow(
      expect.objectContaining({ code: "ERR_KEY_TOO_LARGE" }),
    );
  });

  it("rejects every bad option with an InvalidOptionError (ERR_INVALID_OPTION), still a KeyError", () => {
    const bad: [string, () => unknown][] = [
      ["toolKey(null)", () => toolKey(null as never)],
      ["toolPrefix(5)", () => toolPrefix(5 as never)],
      ["digestBytes 4", () => toolKey({ ...call, digestBytes: 4 })],
      ["digest bytes 33", () => digest("x", 33)],
      ["maxLength 0", () => canonicalize(1, { maxLength: 0 })],
      ["maxDepth 1001", () => canonicalize(1, { maxDepth: 1001 })],
    ];
    for (const [label, make] of bad) {
      let thrown: unknown;
      try {
        make();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, label).toBeInstanceOf(InvalidOptionError);
      expect(thrown, label).toBeInstanceOf(KeyError);
      expect(thrown, label).toMatchObject({
        name: "InvalidOptionError",
        code: "ERR_INVALID_OPTION",
        package: "@mcp-persist/keys",
        message: expect.stringMatching(/^\[@mcp-persist\/keys\] /),
      });
    }
    // A bad input that is not an option is a KeyError, not an InvalidOptionError.
    expect(() => toolKey({ tool: "", args: 1 })).not.toThrow(InvalidOptionError);
  });

  it("digests with a configurable length", () => {
    expect(toolKey({ ...call, digestBytes: 32 })).toMatch(/:[0-9a-f]{64}$/);
    expect(digest("abc", 8)).toBe("ba7816bf8f01cfea");
    expect(digest("abc")).toBe("ba7816bf8f01cfea414140de5dae2223");
  });
});

describe("keySegment and joinKey", () => {
  it("is injective and never emits a separator, brace, glob or whitespace", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 300, unit: "binary" }),
        fc.string({ minLength: 1, unit: "binary" }),
        (a, b) => {
          const sa = keySegment(a);
          expect(sa).toMatch(/^[A-Za-z0-9_.%~-]+$/);
          expect(sa.length).toBeLessThanOrEqual(100);
          if (a !== b) expect(keySegment(b)).not.toBe(sa);
        },
      ),
      { numRuns: 2000 },
    );
    expect(keySegment("search_docs")).toBe("search_docs");
    expect(joinKey("ratelimit", "user:1", "send_email")).toBe("ratelimit:user%3A1:send_email");
    expect(() => joinKey()).toThrow(expect.objectContaining({ code: "ERR_KEY_INVALID_SEGMENT" }));
  });

  it("shortens a segment past 100 characters to a head, `~` and a 128-bit digest; keeps shorter ones whole", () => {
    const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
    expect(keySegment("a".repeat(100))).toBe("a".repeat(100));
    const long = `email:${"a".repeat(150)}@example.com`;
    const shortened = keySegment(long);
    expect(shortened).toBe(`email%3A${"a".repeat(59)}~${sha256(long).slice(0, 32)}`);
    expect(shortened).toHaveLength(100);
    // A head never ends in a partial escape: the cut moves before it.
    const escaped = keySegment(`${"a".repeat(65)}:${"b".repeat(100)}`);
    expect(escaped).toMatch(/^a{65}~[0-9a-f]{32}$/);
  });
});

describe("logId", () => {
  it("is a stable 16-hex-character xxhash64 that does not reveal the key", async () => {
    const id = await loadLogId();
    const key = toolKey({ tool: "search", args: { query: "my secret diagnosis" } });
    expect(id(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(id(key)).toBe(await logId(key));
    expect(id(key)).not.toBe(id(`${key}x`));
    expect(await loadLogId()).toBe(id);
  });
});
