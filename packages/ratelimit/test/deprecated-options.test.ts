import { InvalidOptionError } from "@mcp-persist/cache-core";
import { faultyStore } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter, RateLimitOptionError } from "../src/index";

// The names issue 12 replaced keep working for one release, each with one DeprecationWarning per
// process. This file is its own process (vitest isolates files), so the first use is seen here.

const warnings: { message: string; code?: string; name: string }[] = [];
const listener = (warning: Error & { code?: string }) =>
  warnings.push({ message: warning.message, code: warning.code, name: warning.name });
process.on("warning", listener);
afterEach(() => vi.restoreAllMocks());

/** A store whose every script call fails: each check is decided by the outage policy. */
const downStore = () => faultyStore(lruStore(), "reject", { only: ["run"] });
const rule = { limit: 5, windowMs: 60_000 };

describe("deprecated option names", () => {
  it('failClosed: true reads as onStoreDown: "refuse", false as "proceed"; one warning', async () => {
    const refuse = createRateLimiter({ store: downStore(), ...rule, failClosed: true });
    const proceed = createRateLimiter({ store: downStore(), ...rule, failClosed: false });
    expect(await refuse.check("k")).toMatchObject({ allowed: false, reason: "degraded" });
    expect(await proceed.check("k")).toMatchObject({ allowed: true, reason: "degraded" });
    await new Promise((resolve) => setImmediate(resolve));
    const about = warnings.filter((warning) => warning.message.includes("failClosed is deprecated"));
    expect(about).toHaveLength(1);
    expect(about[0]).toMatchObject({ name: "DeprecationWarning", code: "MCP_PERSIST_DEPRECATED" });
    expect(about[0]?.message).toMatch(
      /^\[@mcp-persist\/ratelimit\] failClosed is deprecated.*onStoreDown: "refuse"/,
    );
  });

  it("fallback reads as fallbackStore, timeoutMs as storeTimeoutMs; one warning each", async () => {
    const fallback = lruStore();
    const limiter = createRateLimiter({ store: downStore(), ...rule, fallback, timeoutMs: 1000 });
    expect(await limiter.check("k")).toMatchObject({ allowed: true, reason: "fallback", remaining: 4 });
    createRateLimiter({ store: downStore(), ...rule, fallback, timeoutMs: 1000 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.message.includes("fallback is deprecated"))).toHaveLength(1);
    expect(warnings.filter((warning) => warning.message.includes("timeoutMs is deprecated"))).toHaveLength(1);
    expect(warnings.find((warning) => warning.message.includes("timeoutMs is deprecated"))?.message).toMatch(
      /use storeTimeoutMs/,
    );
  });

  it("the new names warn about nothing", async () => {
    const before = warnings.length;
    createRateLimiter({
      store: downStore(),
      ...rule,
      onStoreDown: "refuse",
      fallbackStore: lruStore(),
      storeTimeoutMs: 1000,
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.slice(before)).toEqual([]);
  });
});

describe("RateLimitOptionError is a deprecated alias of InvalidOptionError", () => {
  it("instanceof holds both ways, and the limiter throws InvalidOptionError", () => {
    let thrown: unknown;
    try {
      createRateLimiter({ store: lruStore(), ...rule, storeTimeoutMs: -1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError);
    expect(thrown).toBeInstanceOf(RateLimitOptionError);
    expect(thrown).toMatchObject({ name: "InvalidOptionError", code: "ERR_INVALID_OPTION" });
    expect(new InvalidOptionError("@mcp-persist/x", "m")).toBeInstanceOf(RateLimitOptionError);
  });
});
