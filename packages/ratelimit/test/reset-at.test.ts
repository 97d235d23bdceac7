import { randomUUID } from "node:crypto";
import { faultyStore } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { createRateLimiter, createToolRateLimiter } from "../src/index";
import { PATIENT, storeKinds } from "./support/stores";

const redis = useRedis();

/** A limiter clock between two milliseconds, as the default (monotonic) clock nearly always is. */
const fractional = { now: () => 1_700_000_000_000.25 };

describe.each(storeKinds(redis))("resetAtMs on $name", (kind) => {
  it("is whole milliseconds, rounded up: every limit is available again at that time", async () => {
    const limiter = createRateLimiter({
      ...PATIENT,
      store: kind.open(),
      prefix: randomUUID(),
      limit: 2,
      windowMs: 60_000,
      clock: fractional,
    });
    const allowed = await limiter.check("k");
    expect(allowed).toMatchObject({ allowed: true, resetAtMs: 1_700_000_060_001 });
    await limiter.check("k");
    const denied = await limiter.check("k");
    expect(denied.allowed).toBe(false);
    expect(Number.isInteger(denied.resetAtMs)).toBe(true);
    expect(denied.resetAtMs).toBeGreaterThanOrEqual(1_700_000_000_000.25 + denied.retryAfterMs);
  });

  it("is whole milliseconds with the default clock, and for a tool limiter", async () => {
    const limiter = createToolRateLimiter({
      ...PATIENT,
      store: kind.open(),
      prefix: randomUUID(),
      perCallerPerTool: { limit: 1, windowMs: 1500 },
      perTool: { limit: 10, windowMs: 60_000 },
    });
    for (let i = 0; i < 3; i++) {
      const result = await limiter.check({ tool: "t", caller: "c" });
      expect(Number.isInteger(result.resetAtMs), String(result.resetAtMs)).toBe(true);
    }
  });
});

it("is whole milliseconds when decided without a store (degraded)", async () => {
  const limiter = createRateLimiter({
    store: faultyStore(lruStore(), "reject"),
    limit: 2,
    windowMs: 60_000,
    clock: fractional,
    onStoreDown: "refuse",
  });
  const result = await limiter.check("k");
  expect(result).toMatchObject({ allowed: false, reason: "degraded", resetAtMs: 1_700_000_000_001 });
});
