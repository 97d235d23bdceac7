import type { LocalContext } from "@mcp-persist/cache-core";
import { defineCheckScript, type LimitState } from "./check-script";
import type { LimitRule } from "./limits";
import { defineRefundScript } from "./refund-script";

// Time is cut into slots of one window, aligned on the epoch. A sliding window ending now covers
// the current slot and the tail of the previous one, whose count is weighted by that tail:
//   estimate = previous * (window - elapsed) / window + current
// Compared multiplied out by `window`, so every step is integer arithmetic, exact (limits keep
// limit * window <= 2^50) and identical in Lua and JS. One key holds one integer packing
//   slot index mod 4 + 4 * (previous + 2^25 * current)
// which Redis stores as an integer: with its key, under 128 bytes.

/** 2^25: the span of one packed count (limits stay below it). */
const SPAN = 2 ** 25;

/** Lua: `read(key)` gives the slot (index mod 4), previous and current count of a packed counter. */
const READ_COUNTER_LUA = `local SPAN = ${SPAN}
local function read(key)
  local packed = tonumber(redis.call('GET', key) or '0')
  local slot = packed % 4
  local counts = (packed - slot) / 4
  return slot, counts % SPAN, math.floor(counts / SPAN)
end`;

/** The sliding-window counter: two counts a limit, O(1) memory, approximate (see the README). */
export const slidingWindowCheck = defineCheckScript({
  name: "ratelimit-sliding-window",
  title: "Sliding-window counter",
  keyDoc: `--   counter: slot index mod 4 + 4 * (previous + 2^25 * current), where previous and current
--   are the counts of the previous and the current slot of one window`,
  prelude: READ_COUNTER_LUA,
  read: `    local index = math.floor(now / window)
    local elapsed = now - index * window
    local slot, previous, current = read(key)
    if slot == (index + 3) % 4 then
      previous, current = current, 0 -- written during the previous slot
    elseif slot ~= index % 4 then
      previous, current = 0, 0 -- older than that
    end
    -- What the current slot may hold, in unit-ms, once the previous slot's tail is counted.
    local budget = limit * window - previous * (window - elapsed)
    local retry = 0
    if (current + cost) * window > budget then
      allowed = 0
      if current + cost <= limit then
        -- Fits later in this slot, once enough of the previous slot has slid out.
        retry = window - elapsed - math.floor((limit - current - cost) * window / previous)
      else
        -- Fits in the next slot, once enough of this one has slid out.
        retry = window - elapsed + math.max(0, window - math.floor((limit - cost) * window / current))
      end
    end
    state[i] = { index, elapsed, previous, current, budget, retry }`,
  report: `    local index, elapsed, previous, current, budget, retry = unpack(state[i])
    if allowed == 1 then
      current = current + cost
      -- Needed until the end of the next slot, when this one stops counting.
      redis.call('SET', key, string.format('%d', index % 4 + 4 * (previous + SPAN * current)),
        'PX', 2 * window - elapsed)
    end
    local remaining, reset = math.max(0, math.floor(budget / window) - current), 0
    if current > 0 then reset = 2 * window - elapsed elseif previous > 0 then reset = window - elapsed end`,
  local: readCounter,
});

/**
 * Takes back a charge made by {@link slidingWindowCheck} (in Cluster, when a later slot group
 * denied the call): from the current count if the slot has not moved on, else from the previous,
 * with INCRBY on the packed integer, which keeps the key's TTL.
 */
export const slidingWindowRefund = defineRefundScript({
  name: "ratelimit-sliding-window-refund",
  title: "sliding-window",
  prelude: READ_COUNTER_LUA,
  body: `  local index = math.floor(at / window)
  local slot, previous, current = read(key)
  local taken, weight = 0, 0
  if slot == index % 4 then
    taken, weight = math.min(cost, current), 4 * SPAN
  elseif slot == (index + 1) % 4 then
    taken, weight = math.min(cost, previous), 4 -- the slot moved on: the charge counts as previous
  end
  if taken > 0 then
    redis.call('INCRBY', key, string.format('%d', -taken * weight)) -- INCRBY keeps the TTL
    removed = removed + taken
  end`,
  local(ctx, key, rule, { cost, at }) {
    const index = Math.floor(at / rule.windowMs);
    const { slot, previous, current } = unpack(Number(ctx.get(key) ?? "0"));
    let [taken, weight] = [0, 0];
    if (slot === index % 4) [taken, weight] = [Math.min(cost, current), 4 * SPAN];
    else if (slot === (index + 1) % 4) [taken, weight] = [Math.min(cost, previous), 4];
    if (taken > 0) ctx.incr(key, -taken * weight);
    return taken;
  },
});

function unpack(packed: number): { slot: number; previous: number; current: number } {
  const slot = packed % 4;
  const counts = (packed - slot) / 4;
  return { slot, previous: counts % SPAN, current: Math.floor(counts / SPAN) };
}

function pack(slot: number, previous: number, current: number): string {
  return String(slot + 4 * (previous + SPAN * current));
}

/** The JS twin of one limit in {@link slidingWindowCheck}. */
function readCounter(ctx: LocalContext, key: string, rule: LimitRule, cost: number, now: number): LimitState {
  const { limit, windowMs: window } = rule;
  const index = Math.floor(now / window);
  const elapsed = now - index * window;
  const stored = unpack(Number(ctx.get(key) ?? "0"));
  let { previous, current } = stored;
  if (stored.slot === (index + 3) % 4) [previous, current] = [current, 0];
  else if (stored.slot !== index % 4) [previous, current] = [0, 0];
  const budget = limit * window - previous * (window - elapsed);
  const fits = (current + cost) * window <= budget;
  let retry = 0;
  if (!fits && current + cost <= limit) {
    retry = window - elapsed - Math.floor(((limit - current - cost) * window) / previous);
  } else if (!fits) {
    retry = window - elapsed + Math.max(0, window - Math.floor(((limit - cost) * window) / current));
  }
  return {
    fits,
    charge() {
      current += cost;
      ctx.set(key, pack(index % 4, previous, current), 2 * window - elapsed);
    },
    report() {
      const reset = current > 0 ? 2 * window - elapsed : previous > 0 ? window - elapsed : 0;
      return [Math.max(0, Math.floor(budget / window) - current), retry, reset];
    },
  };
}
