import type { Store } from "@mcp-persist/cache-core";
import { DEFAULT_STORE_TIMEOUT_MS } from "@mcp-persist/cache-core/kit";
import { faultyStore } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { describe, expect, it } from "vitest";
import { createRateLimiter, type RateLimitResult } from "../src/index";

const rule = { limit: 5, windowMs: 60_000 };

/** A store whose scripts never answer, stating (or not) a deadline of its own. */
function hangingStore(deadlineMs?: number): Store {
  const store = faultyStore(lruStore(), "hang", { only: ["run"] });
  if (deadlineMs === undefined) return store;
  return { ...store, capabilities: { ...store.capabilities, deadlineMs } };
}

/**
 * Whether `check` has settled after `ms`. Real time, used only where a busy machine can make the
 * answer `false` later than promised but never `true` early: timers never fire before their time.
 */
async function settledAfter(check: Promise<RateLimitResult>, ms: number): Promise<boolean> {
  let settled = false;
  check.then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}

describe("storeTimeoutMs", () => {
  it(`defaults to DEFAULT_STORE_TIMEOUT_MS (${DEFAULT_STORE_TIMEOUT_MS} ms), was 100`, async () => {
    const check = createRateLimiter({ store: hangingStore(), ...rule }).check("k");
    // Still waiting well past the old 100 ms default; decided by the outage policy after 250 ms.
    expect(await settledAfter(check, DEFAULT_STORE_TIMEOUT_MS - 50)).toBe(false);
    expect(await check).toMatchObject({ allowed: true, reason: "degraded" });
  });

  it("a store that bounds its own calls within storeTimeoutMs gets no second timer per check", async () => {
    // This store says it settles every call within 50 ms (as the Redis stores do with their own
    // timeoutMs) and then breaks the promise: were the limiter to race its own timer as well, the
    // check would be decided at 100 ms. It is the store's deadline that is honoured, once.
    const check = createRateLimiter({ store: hangingStore(50), ...rule, storeTimeoutMs: 100 }).check("k");
    expect(await settledAfter(check, 500)).toBe(false);
  });

  it("a store whose own deadline is longer than storeTimeoutMs is raced against storeTimeoutMs", async () => {
    const check = createRateLimiter({ store: hangingStore(5000), ...rule, storeTimeoutMs: 100 }).check("k");
    expect(await check).toMatchObject({ allowed: true, reason: "degraded" });
  });
});
