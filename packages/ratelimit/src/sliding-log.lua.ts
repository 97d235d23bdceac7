import { defineCheckScript } from "./check-script";
import { defineRefundScript } from "./refund-script";
import { liveFrom, readLog, storedLog } from "./sliding-log-units";

/**
 * The exact sliding log: one sorted-set member per admitted unit. The guides' script, with its
 * flaws fixed: server time instead of the caller's clock, members that are unique by construction
 * (`now .. random` can collide and undercount), a TTL equal to what the log still needs instead
 * of a fixed 120 s, a cost, a retry-after, and several limits at once.
 *
 * Each check is held to its own limit against every unit in the window, whatever limit admitted
 * it: a key checked under two limits (a rolling deploy that lowers one) never admits more than
 * the larger in any window. Nothing is dropped to fit a lower limit: that would forget units a
 * higher limit still counts. The log stays bounded by the largest limit that admitted into it.
 *
 * Member names: `unit(now, k)` names the k-th unit admitted at `now`; `next_unit(key, now)` gives
 * the k of the next one: one above the highest k present at that millisecond, so the new name
 * differs from every name there, whatever was removed before. (Counting the names present, as
 * earlier versions did, re-used a name as soon as a gap had opened below the top, and the ZADD
 * then admitted a unit without adding a member.) k is written after a letter giving its number of
 * digits (`a0`, `b10`, `c100`), so names at one score sort, as Redis sorts them, in the order of
 * k. Members of the earlier form `<ms>:<k>` sort below every letter and never collide with these.
 */
export const slidingLogCheck = defineCheckScript({
  name: "ratelimit-sliding-log",
  lua: `-- Exact sliding log: every limit of a check is charged, or none.
-- Several checks may come in one call (the limiter batches them); each is decided in turn.
--
-- KEYS: the keys of one check after another, rules keys each. KEYS[first + i] is limit i's
--   log: a sorted set with one member per admitted unit; score = admission time (server ms),
--   member = unit(time, k), unique: k is one above the highest k already admitted at that time.
-- ARGV[1]: rules, the number of limits each check is made against
-- ARGV[2i], ARGV[2i + 1] (i = 1..rules): limit i (units per window) and its window (ms)
-- ARGV[2 * rules + 2 + c]: the cost of check c (c from 0): units it takes from each of its limits
-- Returns, for each check: allowed (1/0), now (server ms), then per limit: remaining,
--   retry after (ms), reset after (ms: until the last unit logged leaves the window)

-- Server time, whole ms: processes whose own clocks disagree still stamp units alike.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

-- unit(now, k) = '<now>:<letter giving the digits of k><k>': names at one score sort by k
local function unit(now, k)
  local digits = string.format('%d', k)
  return string.format('%d:%s%s', now, string.char(96 + #digits), digits)
end

-- The k of the next unit admitted at now: one above the highest there, or 0
local function next_unit(key, now)
  -- ZREVRANGEBYSCORE rather than ZRANGE ... BYSCORE REV, which needs Redis 6.2
  local top = redis.call('ZREVRANGEBYSCORE', key, now, now, 'LIMIT', 0, 1)[1]
  local k = top and string.match(top, ':%l(%d+)$')
  return k and tonumber(k) + 1 or 0
end

-- The limits, read once: every check of the call is made against the same ones.
local rules = tonumber(ARGV[1])
local limits, windows = {}, {}
for i = 1, rules do limits[i], windows[i] = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]) end

-- What the first pass learns of each limit of a check, for the second (one list each, reused
-- from check to check: no table per limit per check).
local counts, lasts, retries = {}, {}, {}

local reply, n = {}, 0
for first = 0, #KEYS - rules, rules do
  local cost = tonumber(ARGV[2 * rules + 2 + first / rules])
  local allowed = 1

  -- First pass: drop each log's units older than the window; one without room for the cost denies the whole check.
  for i = 1, rules do
    local key, limit, window = KEYS[first + i], limits[i], windows[i]
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local count = redis.call('ZCARD', key)
    local last, retry = now, 0
    if count > 0 then last = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]) end
    if count + cost > limit then
      allowed = 0
      -- The call fits once the (count + cost - limit) oldest units have left the window (count
      -- can exceed limit when a higher limit admitted them).
      local rank = count + cost - limit - 1
      retry = tonumber(redis.call('ZRANGE', key, rank, rank, 'WITHSCORES')[2]) + window - now
    end
    counts[i], lasts[i], retries[i] = count, last, retry
  end

  reply[n + 1], reply[n + 2] = allowed, now
  n = n + 2

  -- Second pass: if every limit fits, log the cost's units in each one's set; report each.
  for i = 1, rules do
    local key, window, count, last = KEYS[first + i], windows[i], counts[i], lasts[i]
    if allowed == 1 then
      -- No unit can be at this millisecond unless the newest is that recent.
      local k = 0
      if count > 0 and last >= now then k = next_unit(key, now) end
      for j = k, k + cost - 1 do
        redis.call('ZADD', key, now, unit(now, j))
      end
      count, last = count + cost, math.max(last, now)
      -- The log is empty exactly when its newest unit leaves the window.
      redis.call('PEXPIRE', key, last + window - now)
    end
    local reset = 0
    if count > 0 then reset = last + window - now end
    -- remaining, retry after, reset after
    reply[n + 1], reply[n + 2], reply[n + 3] = math.max(limits[i] - count, 0), retries[i], reset
    n = n + 3
  end
end
return reply
`,
  local: readLog,
});

/**
 * Takes back a charge made by {@link slidingLogCheck} (in Cluster, when a later slot group denied
 * the call). Units admitted in one millisecond are interchangeable, so it removes the last `cost`
 * members at the charge's time (by rank: the highest k), which keeps `next_unit` above the rest.
 */
export const slidingLogRefund = defineRefundScript({
  name: "ratelimit-sliding-log-refund",
  lua: `-- Takes back a sliding-log charge, made by a check that another Cluster slot group denied.
--
-- KEYS[i]: the log of limit i that was charged (a sorted set, as the check's KEYS describe)
-- ARGV[1]: cost, the units charged to each limit
-- ARGV[2]: at, the server time of the charge (ms): the score of the units to take back
-- ARGV[2i + 1], ARGV[2i + 2] (i = 1..#KEYS): limit i (units per window) and its window (ms)
-- Returns the number of units taken back

-- Server time, whole ms (see the check script): which logged units have left the window.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local cost, at = tonumber(ARGV[1]), tonumber(ARGV[2])
local removed = 0
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local taken = redis.call('ZCOUNT', key, at, at)
  if taken > 0 then
    -- The last members at that time, by rank: the highest k, so next_unit stays above the rest.
    local top = redis.call('ZCOUNT', key, '-inf', at) - 1
    removed = removed + redis.call('ZREMRANGEBYRANK', key, top - math.min(cost, taken) + 1, top)
  end
end
return removed
`,
  local(ctx, key, rule, { cost, at }, now) {
    const log = storedLog(ctx, key);
    const live = liveFrom(log, now, rule.windowMs);
    let removed = 0;
    for (; removed < cost; removed++) {
      // Units at one time are adjacent: when the last of them has left the window, all have.
      const unit = log.lastIndexOf(at);
      if (unit < live) break;
      log.splice(unit, 1);
    }
    if (log.length === live) ctx.delete(key);
    return removed;
  },
});
