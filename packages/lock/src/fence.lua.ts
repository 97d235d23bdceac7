import type { LocalContext } from "@mcp-persist/cache-core/kit";

/**
 * TTL of a resource's fencing counter, in ms. Every write carries an expiry; the counter stays
 * monotonic across its own expiry or eviction because a new counter starts at the server time
 * in microseconds, above every token handed out before.
 */
export const FENCE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Lua helper shared by the acquiring scripts. */
export const NEXT_FENCE_LUA = `-- next_fence(key, ttl): the next fencing token of a resource, stored under key for ttl ms.
-- At least the server time in microseconds, so a counter that expired or was evicted restarts
-- above every token handed out before; one more than the last, so tokens grow even when two
-- acquisitions share a microsecond or the server clock steps back.
local function next_fence(key, ttl)
  local t = redis.call('TIME')
  local floor = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local fence = math.max((tonumber(redis.call('GET', key) or '0') or 0) + 1, floor)
  redis.call('SET', key, string.format('%.0f', fence), 'PX', ttl)
  return fence
end
`;

/**
 * The JS twin of `next_fence`. The store's clock has millisecond resolution, so a counter lost
 * within the same millisecond as its last use could restart at or below it; expiry (7 days) and
 * LRU eviction (the counter was just touched) cannot lose it that fast.
 */
export function nextFenceLocal(ctx: LocalContext, key: string, ttl: string): number {
  const fence = Math.max((Number(ctx.get(key) ?? "0") || 0) + 1, ctx.now() * 1000);
  ctx.set(key, String(fence), Number(ttl));
  return fence;
}
