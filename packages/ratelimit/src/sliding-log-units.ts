import type { LocalContext } from "@mcp-persist/cache-core/kit";
import { type LimitReading, type ReadLimit, readingsPerPlace } from "./check-script";
import type { LimitRule } from "./limits";

// The JS twin of the sliding log (sliding-log.lua.ts has the Lua): a log is an ascending array of
// admission times, one per unit. In process the clock never goes backwards, so appending keeps it
// sorted; JS needs no member names, only Redis does.

/** The log under `key` (empty when missing): the stored array itself, so changes to it are changes to the log. */
export function storedLog(ctx: LocalContext, key: string): number[] {
  return ctx.getData<number[]>(key) ?? [];
}

/**
 * Where the units still in the window start in `log`: those before that index have left the window.
 * It may drop units from the front of `log`: read `log.length` only after calling it.
 *
 * They are dropped in bulk, once they are a sixteenth of the array. A splice on every check moved
 * the whole log each time, O(limit) a check: about 11 µs at 100,000 units in the window and 110 µs
 * at a million. In bulk, each unit is moved about sixteen times (a few ns a check), and the array,
 * which counts against the store's `maxSizeBytes`, stays within a fifteenth above the units in the
 * window (a log larger than the whole bound is not kept: its limit would be forgotten).
 *
 * Until then each is marked `-Infinity`: the Lua removes a unit for good once one check's window
 * has left it behind, so a later check under a longer window (a deploy that changes `windowMs`)
 * must not count it again. Marked once each, walking back from the first unit still in to the
 * first already marked. Found by bisection, for the same reason as the bulk drop.
 */
export function liveFrom(log: number[], now: number, windowMs: number): number {
  const oldest = now - windowMs;
  // Most checks find every unit still in: one comparison, no search.
  if (log.length === 0 || (log[0] as number) > oldest) return 0;
  let low = 1;
  let high = log.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((log[middle] as number) <= oldest) low = middle + 1;
    else high = middle;
  }
  if (16 * low >= log.length) {
    log.splice(0, low);
    return 0;
  }
  for (let gone = low - 1; gone >= 0 && log[gone] !== Number.NEGATIVE_INFINITY; gone--) {
    log[gone] = Number.NEGATIVE_INFINITY;
  }
  return low;
}

/** Ms until `cost` fits a log whose live units have no room for it (the Lua's `retry`). */
function retryOf(log: readonly number[], cost: number, limit: number, windowMs: number, now: number): number {
  // It fits once the (count + cost - limit) oldest live units have left the window.
  return (log[log.length + cost - limit - 1] as number) + windowMs - now;
}

/** Logs `cost` units at `now` and keeps the log until its newest unit leaves the window: that newest unit's time. */
function chargeLog(
  ctx: LocalContext,
  key: string,
  log: number[],
  cost: number,
  now: number,
  windowMs: number,
): number {
  // The newest unit: `now`, unless a clock that went back left a later one in the log.
  const last = log.length > 0 ? Math.max(log[log.length - 1] as number, now) : now;
  for (let i = 0; i < cost; i++) log.push(now);
  ctx.setData(key, log, last + windowMs - now);
  return last;
}

/** The JS twin of one limit in the sliding log's check script (`slidingLogCheck`): one reading per place. */
export const readLog: ReadLimit = readingsPerPlace(() => new LogReading());

/** One limit's log, read (the Lua's first pass), then charged and reported (its second). */
class LogReading implements LimitReading {
  fits = false;
  ctx: LocalContext | undefined = undefined;
  key = "";
  log: number[] = [];
  limit = 0;
  windowMs = 0;
  cost = 0;
  now = 0;
  /** Units in the window. */
  count = 0;
  /** The newest unit's time (`now` when there is none). */
  last = 0;
  retry = 0;

  read(ctx: LocalContext, key: string, rule: LimitRule, cost: number, now: number): void {
    const { limit, windowMs } = rule;
    const log = storedLog(ctx, key);
    const live = liveFrom(log, now, windowMs); // first: it may drop units from the log
    const count = log.length - live;
    const fits = count + cost <= limit;
    this.fits = fits;
    this.ctx = ctx;
    this.key = key;
    this.log = log;
    this.limit = limit;
    this.windowMs = windowMs;
    this.cost = cost;
    this.now = now;
    this.count = count;
    this.last = count > 0 ? (log[log.length - 1] as number) : now;
    this.retry = fits ? 0 : retryOf(log, cost, limit, windowMs, now);
    // An empty log is no key (as in Redis, where the trimmed set is gone); a charge writes it anew.
    if (count === 0) ctx.delete(key);
  }

  charge(): void {
    this.last = chargeLog(this.ctx as LocalContext, this.key, this.log, this.cost, this.now, this.windowMs);
    this.count += this.cost;
  }

  report(reply: number[], at: number): void {
    const { count } = this;
    reply[at] = Math.max(this.limit - count, 0);
    reply[at + 1] = this.retry;
    reply[at + 2] = count > 0 ? this.last + this.windowMs - this.now : 0;
  }
}
