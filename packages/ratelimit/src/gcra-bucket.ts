import type { LocalContext } from "@mcp-persist/cache-core/kit";
import { type CheckOneLimit, type LimitReading, type ReadLimit, readingsPerPlace } from "./check-script";
import type { LimitRule } from "./limits";

// The JS twin of GCRA (gcra.lua.ts has the Lua): a limit's one value is its theoretical arrival
// time (TAT), epoch microseconds, an integer.

/** Microseconds between units at the sustained rate, rounded up. */
export function interval(rule: LimitRule): number {
  return Math.ceil((rule.windowMs * 1000) / rule.limit);
}

/** The TAT under `key` (epoch µs), 0 when missing. */
export function storedTat(ctx: LocalContext, key: string): number {
  // A number when the store keeps the integer as one (see `writeTat`): nothing to parse.
  const stored = ctx.getInteger === undefined ? ctx.get(key) : ctx.getInteger(key);
  return stored === undefined ? 0 : Number(stored);
}

/** Writes the TAT `tat` (epoch µs, an integer: its decimal digits, as the Lua's `%d`) for `ttlMs`. */
export function writeTat(ctx: LocalContext, key: string, tat: number, ttlMs: number): void {
  // setInteger: an in-process store may keep the number, and write its digits only if asked.
  if (ctx.setInteger === undefined || !Number.isSafeInteger(tat)) ctx.set(key, String(tat), ttlMs);
  else ctx.setInteger(key, tat, ttlMs);
}

/** µs of admitted units not yet drained at `us` (the check's time): the bucket's fill. */
function backlogAt(ctx: LocalContext, key: string, us: number): number {
  return Math.max(storedTat(ctx, key) - us, 0);
}

/** Ms until `cost` fits a bucket holding `backlog`: 0 when it fits now (the Lua's `retry`). */
function retryAfter(backlog: number, cost: number, step: number, capacity: number): number {
  const over = backlog + cost * step - capacity;
  return over <= 0 ? 0 : Math.ceil(over / 1000);
}

/** Moves the TAT on by `cost` units, kept until it passes: the backlog after the charge. */
function chargeTat(
  ctx: LocalContext,
  key: string,
  us: number,
  backlog: number,
  cost: number,
  step: number,
): number {
  const after = backlog + cost * step;
  writeTat(ctx, key, us + after, Math.ceil(after / 1000));
  return after;
}

/** Units the bucket still has room for once `backlog` is counted. */
function remainingOf(capacity: number, backlog: number, step: number): number {
  return Math.max(0, Math.floor((capacity - backlog) / step));
}

/**
 * A check of one limit (every in-process `createRateLimiter` check on GCRA), the Lua's two passes
 * in one, its whole reading in locals: about a tenth faster than through a {@link TatReading}.
 */
export const checkOneTat: CheckOneLimit = (ctx, key, rule, cost, now) => {
  const us = now * 1000;
  const step = interval(rule);
  const capacity = rule.limit * step;
  let backlog = backlogAt(ctx, key, us);
  const retry = retryAfter(backlog, cost, step, capacity);
  if (retry === 0) backlog = chargeTat(ctx, key, us, backlog, cost, step);
  return [retry === 0 ? 1 : 0, now, remainingOf(capacity, backlog, step), retry, Math.ceil(backlog / 1000)];
};

/** One limit of a check of several in GCRA's check script (`gcraCheck`): one reading per place. */
export const readTat: ReadLimit = readingsPerPlace(() => new TatReading());

/** One limit's bucket, read (the Lua's first pass), then charged and reported (its second). */
class TatReading implements LimitReading {
  fits = false;
  ctx: LocalContext | undefined = undefined;
  key = "";
  /** The check's time, in µs. */
  us = 0;
  step = 1;
  capacity = 0;
  cost = 0;
  backlog = 0;
  retry = 0;

  read(ctx: LocalContext, key: string, rule: LimitRule, cost: number, now: number): void {
    // The reading `checkOneTat` takes, kept in fields for the second pass.
    const step = interval(rule);
    this.ctx = ctx;
    this.key = key;
    this.us = now * 1000;
    this.step = step;
    this.capacity = rule.limit * step;
    this.cost = cost;
    this.backlog = backlogAt(ctx, key, this.us);
    this.retry = retryAfter(this.backlog, cost, step, this.capacity);
    this.fits = this.retry === 0;
  }

  charge(): void {
    this.backlog = chargeTat(this.ctx as LocalContext, this.key, this.us, this.backlog, this.cost, this.step);
  }

  report(reply: number[], at: number): void {
    reply[at] = remainingOf(this.capacity, this.backlog, this.step);
    reply[at + 1] = this.retry;
    reply[at + 2] = Math.ceil(this.backlog / 1000);
  }
}
