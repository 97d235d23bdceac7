import { defineCheckScript } from "./check-script";
import { checkOneTat, interval, readTat, storedTat, writeTat } from "./gcra-bucket";
import { defineRefundScript } from "./refund-script";

// GCRA is a token bucket kept as one timestamp, the theoretical arrival time (TAT): the moment the
// bucket would be full again. Units are spaced `interval` = window / limit apart, rounded UP to
// the microsecond (so the sustained rate never exceeds limit per window); up to `limit` units may
// come at once. Times are integer microseconds, exact in a double until the year 2255.

/** GCRA: O(1) memory a limit, smooth, bursts up to `limit` (see the README for its bounds). */
export const gcraCheck = defineCheckScript({
  name: "ratelimit-gcra",
  lua: `-- GCRA: every limit of a check is charged, or none.
-- Several checks may come in one call (the limiter batches them); each is decided in turn.
--
-- KEYS: the keys of one check after another, rules keys each. KEYS[first + i] is limit i's
--   theoretical arrival time (TAT): epoch microseconds as an integer, when its bucket is full again.
-- ARGV[1]: rules, the number of limits each check is made against
-- ARGV[2i], ARGV[2i + 1] (i = 1..rules): limit i (units per window) and its window (ms)
-- ARGV[2 * rules + 2 + c]: the cost of check c (c from 0): units it takes from each of its limits
-- Returns, for each check: allowed (1/0), now (server ms), then per limit: remaining,
--   retry after (ms), reset after (ms: until the TAT passes and the bucket is full)

-- Server time, whole ms: processes whose own clocks disagree still drain each bucket alike.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local us = now * 1000

-- The limits, read once: every check of the call is made against the same ones. Units are
-- spaced interval us apart, rounded up (the sustained rate never exceeds the limit).
local rules = tonumber(ARGV[1])
local intervals, capacities = {}, {}
for i = 1, rules do
  local limit, window = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  intervals[i] = math.ceil(window * 1000 / limit)
  capacities[i] = limit * intervals[i]
end

-- What the first pass learns of each limit of a check, for the second (one list each, reused
-- from check to check: no table per limit per check).
local backlogs, retries = {}, {}

local reply, n = {}, 0
for first = 0, #KEYS - rules, rules do
  local cost = tonumber(ARGV[2 * rules + 2 + first / rules])
  local allowed = 1

  -- First pass: drain each limit's bucket to now; one without room for the cost denies the whole check.
  for i = 1, rules do
    local interval, capacity = intervals[i], capacities[i]
    -- The backlog: microseconds of admitted units not yet drained at the sustained rate.
    local backlog = math.max(tonumber(redis.call('GET', KEYS[first + i]) or '0') - us, 0)
    local retry = 0
    if backlog + cost * interval > capacity then
      allowed = 0
      retry = math.ceil((backlog + cost * interval - capacity) / 1000)
    end
    backlogs[i], retries[i] = backlog, retry
  end

  reply[n + 1], reply[n + 2] = allowed, now
  n = n + 2

  -- Second pass: if every limit fits, move each one's TAT on by the cost; report each.
  for i = 1, rules do
    local interval, backlog = intervals[i], backlogs[i]
    if allowed == 1 then
      backlog = backlog + cost * interval
      -- The TAT is needed until it passes: the bucket is full again then.
      redis.call('SET', KEYS[first + i], string.format('%d', us + backlog), 'PX', math.ceil(backlog / 1000))
    end
    -- remaining, retry after, reset after
    reply[n + 1] = math.max(0, math.floor((capacities[i] - backlog) / interval))
    reply[n + 2], reply[n + 3] = retries[i], math.ceil(backlog / 1000)
    n = n + 3
  end
end
return reply
`,
  local: readTat,
  one: checkOneTat,
});

/**
 * Takes back a charge made by {@link gcraCheck} (`refund()`, or in Cluster when a later slot group
 * denied the call): moves each TAT back by what is left of the charge, and deletes it once that
 * puts it in the past. A charge drains at the sustained rate from the moment it is made, so what
 * is left is its `cost × interval` less the time since: the bucket without the charge would have
 * drained at least that much meanwhile. Moving the TAT back by the whole charge could free room
 * that later charges took, once the charge itself had drained.
 */
export const gcraRefund = defineRefundScript({
  name: "ratelimit-gcra-refund",
  lua: `-- Takes back a GCRA charge: refund(), or a check that another Cluster slot group denied.
--
-- KEYS[i]: the TAT of limit i that was charged (epoch us, as the check's KEYS describe)
-- ARGV[1]: cost, the units charged to each limit
-- ARGV[2]: at, the server time of the charge (ms): the charge has drained since then
-- ARGV[2i + 1], ARGV[2i + 2] (i = 1..#KEYS): limit i (units per window) and its window (ms)
-- Returns the number of units taken back, wholly or in part (a charge drains as time passes)

-- Server time, whole ms (see the check script), and in microseconds, as TATs are.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local us = now * 1000

local cost, at = tonumber(ARGV[1]), tonumber(ARGV[2])
local removed = 0
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  -- What is left of the charge (us): it has drained since it was made (a clock that went back counts 0).
  local left = cost * math.ceil(window * 1000 / limit) - math.max(now - at, 0) * 1000
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat > us and left > 0 then
    local back = tat - left
    if back > us then
      redis.call('SET', key, string.format('%d', back), 'PX', math.ceil((back - us) / 1000))
    else
      redis.call('DEL', key)
    end
    removed = removed + cost
  end
end
return removed
`,
  local(ctx, key, rule, { cost, at }, now) {
    const us = now * 1000;
    const left = cost * interval(rule) - Math.max(now - at, 0) * 1000;
    const tat = storedTat(ctx, key);
    if (tat <= us || left <= 0) return 0;
    const back = tat - left;
    if (back > us) writeTat(ctx, key, back, Math.ceil((back - us) / 1000));
    else ctx.delete(key);
    return cost;
  },
});
