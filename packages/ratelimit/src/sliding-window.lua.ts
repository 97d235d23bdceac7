import { defineCheckScript } from "./check-script";
import { defineRefundScript } from "./refund-script";
import { checkOneCounter, integer, readCounter, SPAN, unpack } from "./sliding-window-counter";

// Time is cut into slots of one window, aligned on the epoch. A sliding window ending now covers
// the current slot and the tail of the previous one, whose count is weighted by that tail:
//   estimate = previous * (window - elapsed) / window + current
// Compared multiplied out by `window`, so every step is integer arithmetic, exact (limits keep
// limit * window <= 2^50) and identical in Lua and JS. One key holds one integer packing
//   slot index mod 4 + 4 * (previous + 2^25 * current)
// which Redis stores as an integer: with its key, under 128 bytes.

/** The sliding-window counter: two counts a limit, O(1) memory, approximate (see the README). */
export const slidingWindowCheck = defineCheckScript({
  name: "ratelimit-sliding-window",
  lua: `-- Sliding-window counter: every limit of a check is charged, or none.
-- Several checks may come in one call (the limiter batches them); each is decided in turn.
--
-- KEYS: the keys of one check after another, rules keys each. KEYS[first + i] is limit i's
--   counter: one integer, slot index mod 4 + 4 * (previous + SPAN * current), where previous
--   and current are the counts of the previous and the current slot of one window.
-- ARGV[1]: rules, the number of limits each check is made against
-- ARGV[2i], ARGV[2i + 1] (i = 1..rules): limit i (units per window) and its window (ms)
-- ARGV[2 * rules + 2 + c]: the cost of check c (c from 0): units it takes from each of its limits
-- Returns, for each check: allowed (1/0), now (server ms), then per limit: remaining,
--   retry after (ms), reset after (ms: until both of its slots are empty)

-- Server time, whole ms: processes whose own clocks disagree still cut time into the same slots.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

-- 2^25, the span of one packed count (limits stay below it)
local SPAN = 33554432

-- The limits, read once: every check of the call is made against the same ones. Per limit i,
-- where the current slot starts (index, elapsed) is the same for every check too.
local rules = tonumber(ARGV[1])
local limits, windows, indexes, elapsed = {}, {}, {}, {}
for i = 1, rules do
  limits[i], windows[i] = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  indexes[i] = math.floor(now / windows[i])
  elapsed[i] = now - indexes[i] * windows[i]
end

-- What the first pass learns of each limit of a check, for the second (one list each, reused
-- from check to check: no table per limit per check).
local previous, current, budget, retry = {}, {}, {}, {}

local reply, n = {}, 0
for first = 0, #KEYS - rules, rules do
  local cost = tonumber(ARGV[2 * rules + 2 + first / rules])
  local allowed = 1

  -- First pass: weigh each limit's two slots; one without room for the cost denies the whole check.
  for i = 1, rules do
    local limit, window, index, since = limits[i], windows[i], indexes[i], elapsed[i]
    local packed = tonumber(redis.call('GET', KEYS[first + i]) or '0')
    local slot = packed % 4
    local counts = (packed - slot) / 4
    local prev, cur = counts % SPAN, math.floor(counts / SPAN)
    if slot == (index + 3) % 4 then
      prev, cur = cur, 0 -- written during the previous slot
    elseif slot ~= index % 4 then
      prev, cur = 0, 0 -- older than that
    end
    -- What the current slot may hold, in unit-ms, once the previous slot's tail is counted.
    local room = limit * window - prev * (window - since)
    local wait = 0
    if (cur + cost) * window > room then
      allowed = 0
      if cur + cost <= limit then
        -- Fits later in this slot, once enough of the previous slot has slid out.
        wait = window - since - math.floor((limit - cur - cost) * window / prev)
      else
        -- Fits in the next slot, once enough of this one has slid out.
        wait = window - since + math.max(0, window - math.floor((limit - cost) * window / cur))
      end
    end
    previous[i], current[i], budget[i], retry[i] = prev, cur, room, wait
  end

  reply[n + 1], reply[n + 2] = allowed, now
  n = n + 2

  -- Second pass: if every limit fits, add the cost to each one's current slot; report each.
  for i = 1, rules do
    local window, since, prev, cur = windows[i], elapsed[i], previous[i], current[i]
    if allowed == 1 then
      cur = cur + cost
      -- Needed until the end of the next slot, when this one stops counting.
      redis.call('SET', KEYS[first + i], string.format('%d', indexes[i] % 4 + 4 * (prev + SPAN * cur)),
        'PX', 2 * window - since)
    end
    local reset = 0
    if cur > 0 then reset = 2 * window - since elseif prev > 0 then reset = window - since end
    -- remaining, retry after, reset after
    reply[n + 1], reply[n + 2], reply[n + 3] = math.max(0, math.floor(budget[i] / window) - cur), retry[i], reset
    n = n + 3
  end
end
return reply
`,
  local: readCounter,
  one: checkOneCounter,
});

/**
 * Takes back a charge made by {@link slidingWindowCheck} (`refund()`, or in Cluster when a later
 * slot group denied the call): from the current count if the slot has not moved on, else from the
 * previous, with INCRBY on the packed integer, which keeps the key's TTL. Two slots after the
 * charge it counts nowhere, and the packed slot number (index mod 4) may by then name a later
 * slot's count: the refund takes nothing, so it never frees room the charge no longer takes.
 */
export const slidingWindowRefund = defineRefundScript({
  name: "ratelimit-sliding-window-refund",
  lua: `-- Takes back a sliding-window charge: refund(), or a check that another Cluster slot group denied.
--
-- KEYS[i]: the counter of limit i that was charged (packed, as the check's KEYS describe)
-- ARGV[1]: cost, the units charged to each limit
-- ARGV[2]: at, the server time of the charge (ms): which slot the charge went to
-- ARGV[2i + 1], ARGV[2i + 2] (i = 1..#KEYS): limit i (units per window) and its window (ms)
-- Returns the number of units taken back

-- Server time, whole ms (see the check script): which slot is the current one now.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

-- 2^25, the span of one packed count (as in the check script)
local SPAN = 33554432

-- read(key): the slot (index mod 4), previous and current count of a packed counter
local function read(key)
  local packed = tonumber(redis.call('GET', key) or '0')
  local slot = packed % 4
  local counts = (packed - slot) / 4
  return slot, counts % SPAN, math.floor(counts / SPAN)
end

local cost, at = tonumber(ARGV[1]), tonumber(ARGV[2])
local removed = 0
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  local index = math.floor(at / window)
  local slot, previous, current = read(key)
  local taken, weight = 0, 0
  if math.floor(now / window) > index + 1 then
    taken = 0 -- the charge has left the window; its slot number may name a later count by now
  elseif slot == index % 4 then
    taken, weight = math.min(cost, current), 4 * SPAN
  elseif slot == (index + 1) % 4 then
    taken, weight = math.min(cost, previous), 4 -- the slot moved on: the charge counts as previous
  end
  if taken > 0 then
    redis.call('INCRBY', key, string.format('%d', -taken * weight)) -- INCRBY keeps the TTL
    removed = removed + taken
  end
end
return removed
`,
  local(ctx, key, rule, { cost, at }, now) {
    const index = Math.floor(at / rule.windowMs);
    if (Math.floor(now / rule.windowMs) > index + 1) return 0;
    const { slot, previous, current } = unpack(integer(ctx.get(key) ?? "0"));
    let [taken, weight] = [0, 0];
    if (slot === index % 4) [taken, weight] = [Math.min(cost, current), 4 * SPAN];
    else if (slot === (index + 1) % 4) [taken, weight] = [Math.min(cost, previous), 4];
    if (taken > 0) ctx.incr(key, -taken * weight);
    return taken;
  },
});
