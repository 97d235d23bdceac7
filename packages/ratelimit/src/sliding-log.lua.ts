import type { LocalContext } from "@mcp-persist/cache-core";
import { defineCheckScript, type LimitState } from "./check-script";
import type { LimitRule } from "./limits";
import { defineRefundScript } from "./refund-script";

/**
 * The exact sliding log: one sorted-set member per admitted unit, at most `limit` of them. The
 * guides' script, with its flaws fixed: server time instead of the caller's clock, members that
 * are unique by construction (`now .. random` can collide and undercount), a TTL equal to the
 * window instead of a fixed 120 s, a cost, a retry-after, and several limits at once.
 */
export const slidingLogCheck = defineCheckScript({
  name: "ratelimit-sliding-log",
  title: "Exact sliding log",
  keyDoc: `--   log, a sorted set with one member per admitted unit: score = admission time (server ms),
--   member = '<time>:<k>' where k = 0, 1, ... counts the units admitted in that millisecond,
--   so members never collide`,
  read: `    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local count = redis.call('ZCARD', key)
    if count > limit then
      -- The limit was lowered since these were admitted: keep only the newest, so the log stays
      -- bounded. The retry-after is unchanged: the dropped units would have left first anyway.
      redis.call('ZREMRANGEBYRANK', key, 0, count - limit - 1)
      count = limit
    end
    local last, retry = now, 0
    if count > 0 then last = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]) end
    if count + cost > limit then
      allowed = 0
      -- The call fits once the (count + cost - limit) oldest units have left the window.
      local rank = count + cost - limit - 1
      retry = tonumber(redis.call('ZRANGE', key, rank, rank, 'WITHSCORES')[2]) + window - now
    end
    state[i] = { count, last, retry }`,
  report: `    local count, last, retry = unpack(state[i])
    if allowed == 1 then
      -- Units already admitted in this millisecond (none unless the newest is that recent).
      local taken = 0
      if count > 0 and last >= now then taken = redis.call('ZCOUNT', key, now, now) end
      for k = taken, taken + cost - 1 do
        redis.call('ZADD', key, now, string.format('%d:%d', now, k))
      end
      count, last = count + cost, math.max(last, now)
      -- The log is empty exactly when its newest unit leaves the window.
      redis.call('PEXPIRE', key, last + window - now)
    end
    local remaining, reset = limit - count, 0
    if count > 0 then reset = last + window - now end`,
  local: readLog,
});

/**
 * Takes back a charge made by {@link slidingLogCheck} (in Cluster, when a later slot group denied
 * the call). Units admitted in one millisecond are interchangeable, so it removes the highest k
 * at the charge's time, which keeps the k of that millisecond contiguous.
 */
export const slidingLogRefund = defineRefundScript({
  name: "ratelimit-sliding-log-refund",
  title: "sliding-log",
  body: `  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local taken = redis.call('ZCOUNT', key, at, at)
  for k = taken - 1, math.max(taken - cost, 0), -1 do
    removed = removed + redis.call('ZREM', key, string.format('%d:%d', at, k))
  end`,
  local(ctx, key, rule, { cost, at }, now) {
    const log = liveLog(ctx, key, now, rule.windowMs);
    let removed = 0;
    for (; removed < cost && log.lastIndexOf(at) >= 0; removed++) log.splice(log.lastIndexOf(at), 1);
    if (log.length === 0) ctx.delete(key);
    return removed;
  },
});

/**
 * A log without the units that have left the window: an ascending array of admission times (in
 * process the clock never goes backwards, so appending keeps it sorted). JS needs no member
 * names; only Redis does. The array is the stored one: changes to it are changes to the log.
 */
function liveLog(ctx: LocalContext, key: string, now: number, windowMs: number): number[] {
  const log = ctx.getData<number[]>(key) ?? [];
  const fresh = log.findIndex((at) => at > now - windowMs);
  log.splice(0, fresh < 0 ? log.length : fresh);
  return log;
}

/** The JS twin of one limit in {@link slidingLogCheck}. */
function readLog(ctx: LocalContext, key: string, rule: LimitRule, cost: number, now: number): LimitState {
  const { limit, windowMs } = rule;
  const log = liveLog(ctx, key, now, windowMs);
  if (log.length > limit) log.splice(0, log.length - limit);
  let last = log.at(-1) ?? now;
  const fits = log.length + cost <= limit;
  const retry = fits ? 0 : (log[log.length + cost - limit - 1] as number) + windowMs - now;
  if (log.length === 0) ctx.delete(key);
  return {
    fits,
    charge() {
      for (let i = 0; i < cost; i++) log.push(now);
      last = Math.max(last, now);
      ctx.setData(key, log, last + windowMs - now);
    },
    report: () => [limit - log.length, retry, log.length > 0 ? last + windowMs - now : 0],
  };
}
