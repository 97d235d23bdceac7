import type { ToolCall } from "@mcp-persist/cache-core";
import { REMEMBERED_CALLERS } from "@mcp-persist/cache-core/kit";
import { lruStore } from "@mcp-persist/store-lru";
import { describe, expect, it } from "vitest";
import { createRateLimiter, createToolRateLimiter } from "../src/index";
import { SingleKeys, ToolCallKeys } from "../src/key-memo";

// The limiters remember each tool call's keys (and each key's) instead of digesting the caller on
// every check. These tests hold the limits to what the callers' digests say, whatever was
// remembered before, and past the memo's bound.

const one = { limit: 1, windowMs: 60_000 };

function perCaller() {
  const limiter = createToolRateLimiter({ store: lruStore(), perCaller: one });
  return (caller: ToolCall["caller"]) =>
    limiter.check({ tool: "t", caller }).then((result) => result.allowed);
}

describe("remembered tool call keys", () => {
  it("object callers with the same fields share one bucket, in any order, fresh objects or not", async () => {
    const allowed = perCaller();
    expect(await allowed({ client: "a", session: "s" })).toBe(true);
    expect(await allowed({ session: "s", client: "a" })).toBe(false);
    expect(await allowed({ client: "a", session: "s", user: undefined })).toBe(false);
    expect(await allowed(Object.assign(Object.create(null), { client: "a", session: "s" }))).toBe(false);
  });

  it("callers whose digests differ count apart: another field, an extra field, a string", async () => {
    const allowed = perCaller();
    expect(await allowed({ client: "a" })).toBe(true);
    expect(await allowed({ client: "a" })).toBe(false);
    expect(await allowed({ client: "a", session: "s" })).toBe(true);
    expect(await allowed({ user: "a" })).toBe(true);
    expect(await allowed("a")).toBe(true);
    // Not one of the four caller fields: the digest covers it, so it is a caller of its own.
    expect(await allowed({ client: "a", team: "x" } as never)).toBe(true);
    expect(await allowed({ client: "a", team: "x" } as never)).toBe(false);
    expect(await allowed({ client: "a", team: "y" } as never)).toBe(true);
  });

  it("callers with the same values in other fields count apart, before and after being remembered", async () => {
    // Remembered by which fields are present, then by their values in a fixed field order: the
    // same values under other fields, or in other fields' order, are other callers.
    const allowed = perCaller();
    const callers = [
      { user: "a", session: "b" },
      { user: "b", session: "a" },
      { user: "a", client: "b" },
      { tenant: "a", client: "b" },
      { session: "a", client: "b" },
      { user: "a", tenant: "b", client: "c" },
      { user: "a", session: "b", client: "c" },
      { user: "a", tenant: "b", session: "c", client: "d" },
      { tenant: "a", session: "b", client: "c" },
    ];
    for (const caller of callers) expect(await allowed({ ...caller })).toBe(true);
    for (const caller of callers) expect(await allowed({ ...caller })).toBe(false);
  });

  it("a caller the digest refuses is refused on every check, after valid ones were remembered", async () => {
    const limiter = createToolRateLimiter({ store: lruStore(), perCaller: one });
    await limiter.check({ tool: "t", caller: { client: "a" } });
    await limiter.check({ tool: "t", caller: "a" });
    for (const caller of ["", {}, { client: "" }, { user: "", client: "a" }, { client: 5 }, null]) {
      for (let i = 0; i < 2; i++) {
        await expect(limiter.check({ tool: "t", caller } as never)).rejects.toMatchObject({
          code: "ERR_KEY_INVALID_SCOPE",
        });
      }
    }
    for (const tool of ["", 5]) {
      await expect(limiter.check({ tool, caller: "a" } as never)).rejects.toMatchObject({
        code: "ERR_KEY_INVALID_SEGMENT",
      });
    }
  });

  it("limits hold past the memo's bound: more callers on 2 tools than it keeps, then the first ones again", async () => {
    const limiter = createToolRateLimiter({ store: lruStore(), perCallerPerTool: one });
    const check = (i: number, tool: string) =>
      limiter.check({ tool, caller: { client: `c${i}` } }).then((result) => result.allowed);
    for (let i = 0; i < REMEMBERED_CALLERS + 1000; i++) {
      expect(await check(i, "a")).toBe(true);
      expect(await check(i, "b")).toBe(true);
    }
    for (let i = 0; i < 10; i++) expect([await check(i, "a"), await check(i, "b")]).toEqual([false, false]);
  });
});

describe("remembered keys of createRateLimiter", () => {
  it("limits hold past the memo's bound: more keys than it keeps, then the first ones again", async () => {
    const limiter = createRateLimiter({ store: lruStore(), ...one });
    for (let i = 0; i < REMEMBERED_CALLERS + 1000; i++)
      expect((await limiter.check(`k${i}`)).allowed).toBe(true);
    for (let i = 0; i < 10; i++) expect((await limiter.check(`k${i}`)).allowed).toBe(false);
    await expect(limiter.check("")).rejects.toMatchObject({ code: "ERR_KEY_INVALID_SEGMENT" });
  });
});

describe("the memos' bounds", () => {
  // What a memo keeps is found by identity: the same frozen key list, not one built again.
  it("createRateLimiter's keeps REMEMBERED_CALLERS keys, then forgets the oldest", () => {
    const keys = new SingleKeys("base");
    const first = keys.of("k0");
    for (let i = 1; i < REMEMBERED_CALLERS; i++) keys.of(`k${i}`);
    expect(keys.of("k0")).toBe(first);
    keys.of("one-more");
    const again = keys.of("k0");
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it("a tool limiter's remembers a caller once for all its tools, and a tool once for all its callers", () => {
    const keys = new ToolCallKeys("base", ["perCallerPerTool", "perCaller", "perTool"]);
    const list = keys.of("t", { client: "c" });
    keys.of("u", { client: "c" });
    keys.of("t", { client: "d" });
    expect(keys.remembered).toEqual({ callers: 2, tools: 2, lists: 3 });
    expect(keys.of("t", { client: "c" })).toBe(list);
  });

  it("a tool limiter's remembers nothing of a call it cannot key, caller or tool", () => {
    const keys = new ToolCallKeys("base", ["perCallerPerTool", "perCaller"]);
    for (let i = 0; i < 5; i++) {
      expect(() => keys.of("", `u${i}`)).toThrow(
        expect.objectContaining({ code: "ERR_KEY_INVALID_SEGMENT" }),
      );
      expect(() => keys.of("", { user: `u${i}` })).toThrow(
        expect.objectContaining({ code: "ERR_KEY_INVALID_SEGMENT" }),
      );
      expect(() => keys.of("t", { user: "" })).toThrow(
        expect.objectContaining({ code: "ERR_KEY_INVALID_SCOPE" }),
      );
    }
    expect(() => keys.of("", undefined)).toThrow(
      expect.objectContaining({ code: "ERR_KEY_INVALID_SEGMENT" }),
    );
    expect(keys.remembered).toEqual({ callers: 0, tools: 0, lists: 0 });
  });

  it("a tool limiter's forgets its key lists past REMEMBERED_CALLERS of them, but not its callers", () => {
    const keys = new ToolCallKeys("base", ["perCallerPerTool", "perCaller"]);
    const first = keys.of("t0", "c");
    // Every pair new, over 1000 callers and a few tools: far fewer callers than lists.
    const pair = (i: number) => keys.of(`t${Math.floor(i / 1000)}`, `c${i % 1000}`);
    for (let i = 0; i < REMEMBERED_CALLERS - 1; i++) pair(i);
    expect(keys.of("t0", "c")).toBe(first);
    expect(keys.remembered.lists).toBe(REMEMBERED_CALLERS);
    pair(REMEMBERED_CALLERS - 1);
    expect(keys.remembered).toMatchObject({ callers: 1001, lists: 1 });
    const again = keys.of("t0", "c");
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(keys.remembered).toMatchObject({ callers: 1001, lists: 2 });
  });

  it("a tool limiter's forgets everything past REMEMBERED_CALLERS callers and tools", () => {
    const keys = new ToolCallKeys("base", ["perCallerPerTool", "perCaller"]);
    const first = keys.of("t", { client: "c0" });
    for (let i = 1; i < REMEMBERED_CALLERS - 1; i++) keys.of("t", { client: `c${i}` });
    expect(keys.of("t", { client: "c0" })).toBe(first);
    expect(keys.remembered.callers + keys.remembered.tools).toBe(REMEMBERED_CALLERS);
    keys.of("t", "one-more");
    expect(keys.remembered).toEqual({ callers: 1, tools: 1, lists: 1 });
    const again = keys.of("t", { client: "c0" });
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
