import type { LocalContext } from "@mcp-persist/cache-core";
import { defineCheckScript, type LimitState } from "./check-script";
import type { LimitRule } from "./limits";
import { defineRefundScript } from "./refund-script";

// GCRA is a token bucket kept as one timestamp, the theoretical arrival time (TAT): the moment the
// bucket would be full again. Units are spaced `interval` = window / limit apart, rounded UP to
// the microsecond (so the sustained rate never exceeds limit per window); up to `limit` units may
// come at once. Times are integer microseconds, exact in a double until the year 2255.

/** GCRA: O(1) memory a limit, smooth, bursts up to `limit` (see the README for its bounds). */
export const gcraCheck = defineCheckScript({
  name: "ratelimit-gcra",
  title: "GCRA",
  keyDoc: "--   theoretical arrival time, epoch microseconds as an integer",
  prelude: "local us = now * 1000",
  read: `    local interval = math.ceil(window * 1000 / limit)
    local capacity = limit * interval
    -- The backlog: microseconds of admitted units not yet drained at the sustained rate.
    local backlog = math.max(tonumber(redis.call('GET', key) or '0') - us, 0)
    local retry = 0
    if backlog + cost * interval > capacity then
      allowed = 0
      retry = math.ceil((backlog + cost * interval - capacity) / 1000)
    end
    state[i] = { interval, capacity, backlog, retry }`,
  report: `    local interval, capacity, backlog, retry = unpack(state[i])
    if allowed == 1 then
      backlog = backlog + cost * interval
      redis.call('SET', key, string.format('%d', us + backlog), 'PX', math.ceil(backlog / 1000))
    end
    local remaining = math.max(0, math.floor((capacity - backlog) / interval))
    local reset = math.ceil(backlog / 1000)`,
  local: readTat,
});

/**
 * Takes back a charge made by {@link gcraCheck} (in Cluster, when a later slot group denied the
 * call): moves each TAT back by the cost, and deletes it once that puts it in the past.
 */
export const gcraRefund = defineRefundScript({
  name: "ratelimit-gcra-refund",
  title: "GCRA",
  prelude: "local us = now * 1000",
  body: `  local tat = tonumber(redis.call('GET', key) or '0')
  if tat > us then
    local back = tat - cost * math.ceil(window * 1000 / limit)
    if back > us then
      redis.call('SET', key, string.format('%d', back), 'PX', math.ceil((back - us) / 1000))
    else
      redis.call('DEL', key)
    end
    removed = removed + cost
  end`,
  local(ctx, key, rule, { cost }, now) {
    const us = now * 1000;
    const tat = Number(ctx.get(key) ?? "0");
    if (tat <= us) return 0;
    const back = tat - cost * interval(rule);
    if (back > us) ctx.set(key, String(back), Math.ceil((back - us) / 1000));
    else ctx.delete(key);
    return cost;
  },
});

/** Microseconds between units at the sustained rate, rounded up. */
function interval(rule: LimitRule): number {
  return Math.ceil((rule.windowMs * 1000) / rule.limit);
}

/** The JS twin of one limit in {@link gcraCheck}. */
function readTat(ctx: LocalContext, key: string, rule: LimitRule, cost: number, now: number): LimitState {
  const us = now * 1000;
  const step = interval(rule);
  const capacity = rule.limit * step;
  let backlog = Math.max(Number(ctx.get(key) ?? "0") - us, 0);
  const fits = backlog + cost * step <= capacity;
  const retry = fits ? 0 : Math.ceil((backlog + cost * step - capacity) / 1000);
  return {
    fits,
    charge() {
      backlog += cost * step;
      ctx.set(key, String(us + backlog), Math.ceil(backlog / 1000));
    },
    report: () => [Math.max(0, Math.floor((capacity - backlog) / step)), retry, Math.ceil(backlog / 1000)],
  };
}
