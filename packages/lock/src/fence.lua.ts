import type { LocalContext } from "@mcp-persist/cache-core/kit";

/**
 * TTL of a resource's fencing counter, in ms, counted from when the counter (re)started: `INCR`
 * keeps a key's TTL, so a counter in use still expires this long after it started, and restarts
 * at the server time, above every token handed out before (see `NEXT_FENCE_LUA`).
 */
export const FENCE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Lua helper shared by the acquiring scripts. */
export const NEXT_FENCE_LUA = `-- next_fence(key, ttl): the next fencing token of a resource, one more than the last (INCR, which
-- keeps the counter's TTL). A counter that did not exist (never used, expired or evicted) starts at
-- the server time in microseconds, for ttl ms: above every token handed out before, since those
-- are the time an earlier counter started plus one per acquisition since, and one resource is
-- acquired far less often than once a microsecond (each acquisition is a script call of its own
-- on this server, or a later step of a batch call, in which the counter, once started, exists).
-- One command (INCR) while the counter exists, the common path.
local function next_fence(key, ttl)
  local fence = redis.call('INCR', key)
  if fence == 1 then
    local t = redis.call('TIME')
    fence = tonumber(t[1]) * 1000000 + tonumber(t[2])
    redis.call('SET', key, string.format('%.0f', fence), 'PX', ttl)
  end
  return fence
end
`;

/**
 * The JS twin of `next_fence`. The store's clock has millisecond resolution, so a counter lost
 * within the millisecond it started could restart at or below a token it handed out; expiry
 * (7 days) cannot lose it that fast, and LRU eviction does not take a key just written.
 */
export function nextFenceLocal(ctx: LocalContext, key: string, ttl: string): number {
  const fence = ctx.incr(key);
  if (fence !== 1) return fence;
  const floor = ctx.now() * 1000;
  ctx.set(key, String(floor), Number(ttl));
  return floor;
}
