import type { LocalContext } from "@mcp-persist/cache-core/kit";
import { type CheckOneLimit, type LimitReading, type ReadLimit, readingsPerPlace } from "./check-script";
import type { LimitRule } from "./limits";

// The JS twin of the sliding-window check (sliding-window.lua.ts has the Lua and the layout):
// small pure functions for each step of the Lua's arithmetic, driven two ways. One limit (every
// in-process `createRateLimiter` check) goes in one pass with everything in locals; several limits
// (a tool limiter) keep each one's reading in a `Counter` between the two passes.

/** 2^25: the span of one packed count (limits stay below it). `SPAN` in the Lua: a test checks they agree. */
export const SPAN = 2 ** 25;

/** Where `now` falls: the index of its slot of `window` ms (slots aligned on the epoch). */
function slotIndex(now: number, window: number): number {
  return Math.floor(now / window);
}

/** Lua's floored `packed % 4`, by division: past 2^31 JS's `%` leaves V8's integer paths for a call to fmod. */
function packedSlot(packed: number): number {
  return packed - 4 * Math.floor(packed / 4);
}

/** The count of the slot the counter was last written in: the packed integer's top part. */
function writtenCount(packed: number): number {
  return Math.floor(packed / (4 * SPAN));
}

/** The count of the slot before the one the counter was last written in: its middle part. */
function writtenPrevious(packed: number): number {
  return Math.floor(packed / 4) - SPAN * writtenCount(packed);
}

/** The current slot's count (slot `index`): 0 unless the counter was written during it. */
function currentCount(packed: number, index: number): number {
  return packedSlot(packed) === index % 4 ? writtenCount(packed) : 0;
}

/** The previous slot's count: the counter's own previous, or its current if it was written then. */
function previousCount(packed: number, index: number): number {
  const slot = packedSlot(packed);
  if (slot === index % 4) return writtenPrevious(packed);
  return slot === (index + 3) % 4 ? writtenCount(packed) : 0; // older than that: nothing counts
}

/** What the current slot may hold, in unit-ms, once the previous slot's tail is counted. */
function budgetOf(limit: number, window: number, previous: number, elapsed: number): number {
  return limit * window - previous * (window - elapsed);
}

/** Ms until `cost` fits, for a limit it does not fit now (the Lua's `wait`). */
function retryOf(
  limit: number,
  window: number,
  elapsed: number,
  previous: number,
  current: number,
  cost: number,
): number {
  if (current + cost <= limit) {
    // Fits later in this slot, once enough of the previous slot has slid out.
    return window - elapsed - Math.floor(((limit - current - cost) * window) / previous);
  }
  // Fits in the next slot, once enough of this one has slid out.
  return window - elapsed + Math.max(0, window - Math.floor(((limit - cost) * window) / current));
}

/** Ms until both slots of the counter are empty. */
function resetOf(window: number, elapsed: number, previous: number, current: number): number {
  return current > 0 ? 2 * window - elapsed : previous > 0 ? window - elapsed : 0;
}

/** Units left in the window once `current` (the current slot's count, charged) is counted. */
function remainingOf(budget: number, window: number, current: number): number {
  return Math.max(0, Math.floor(budget / window) - current);
}

/** The packed counter under `key`, 0 when missing. */
function readPacked(ctx: LocalContext, key: string): number {
  // A number when the store keeps the packed integer as one (see `writePacked`): nothing to parse.
  const stored = ctx.getInteger === undefined ? ctx.get(key) : ctx.getInteger(key);
  return stored === undefined ? 0 : typeof stored === "number" ? stored : integer(stored);
}

/** Writes the counter of slot `index` with its two counts, for `ttlMs` (until its slot stops counting). */
function writePacked(
  ctx: LocalContext,
  key: string,
  index: number,
  previous: number,
  current: number,
  ttlMs: number,
): void {
  // setInteger: an in-process store may keep the number, and write its digits only if asked.
  if (ctx.setInteger === undefined) ctx.set(key, packCounts(index % 4, previous, current), ttlMs);
  else ctx.setInteger(key, packInteger(index % 4, previous, current), ttlMs);
}

/**
 * A check of one limit, the Lua's two passes in one: no state kept between them, the reply made
 * at its size.
 */
export const checkOneCounter: CheckOneLimit = (ctx, key, rule, cost, now) => {
  const { limit, windowMs: window } = rule;
  const index = slotIndex(now, window);
  const elapsed = now - index * window;
  const packed = readPacked(ctx, key);
  const previous = previousCount(packed, index);
  let current = currentCount(packed, index);
  const budget = budgetOf(limit, window, previous, elapsed);
  const fits = (current + cost) * window <= budget;
  const retry = fits ? 0 : retryOf(limit, window, elapsed, previous, current, cost);
  if (fits) {
    current += cost;
    // Needed until the end of the next slot, when this one stops counting.
    writePacked(ctx, key, index, previous, current, 2 * window - elapsed);
  }
  const reset = resetOf(window, elapsed, previous, current);
  return [fits ? 1 : 0, now, remainingOf(budget, window, current), retry, reset];
};

/** One limit of a check of several, read in the first pass (see {@link Counter}): one counter per place. */
export const readCounter: ReadLimit = readingsPerPlace(() => new Counter());

/** One limit's counter, read (the Lua's first pass), then charged and reported (its second). */
class Counter implements LimitReading {
  fits = false;
  ctx: LocalContext | undefined = undefined;
  key = "";
  window = 1;
  index = 0;
  elapsed = 0;
  previous = 0;
  current = 0;
  cost = 0;
  budget = 0;
  retry = 0;

  read(ctx: LocalContext, key: string, rule: LimitRule, cost: number, now: number): void {
    // The reading `checkOneCounter` takes, step for step, kept in fields for the second pass. Not
    // one shared function: it would hand the reading back in an object, the very cost the one-pass
    // check exists to avoid; the steps themselves are the functions above.
    const { limit, windowMs: window } = rule;
    const index = slotIndex(now, window);
    const elapsed = now - index * window;
    const packed = readPacked(ctx, key);
    const previous = previousCount(packed, index);
    const current = currentCount(packed, index);
    const budget = budgetOf(limit, window, previous, elapsed);
    const fits = (current + cost) * window <= budget;
    this.fits = fits;
    this.ctx = ctx;
    this.key = key;
    this.window = window;
    this.index = index;
    this.elapsed = elapsed;
    this.previous = previous;
    this.current = current;
    this.cost = cost;
    this.budget = budget;
    this.retry = fits ? 0 : retryOf(limit, window, elapsed, previous, current, cost);
  }

  charge(): void {
    this.current += this.cost;
    writePacked(
      this.ctx as LocalContext,
      this.key,
      this.index,
      this.previous,
      this.current,
      2 * this.window - this.elapsed,
    );
  }

  report(reply: number[], at: number): void {
    const { window, elapsed, current } = this;
    reply[at] = remainingOf(this.budget, window, current);
    reply[at + 1] = this.retry;
    reply[at + 2] = resetOf(window, elapsed, this.previous, current);
  }
}

/** A packed counter's slot (index mod 4) and its two counts, for the refund's JS twin. */
export function unpack(packed: number): { slot: number; previous: number; current: number } {
  return { slot: packedSlot(packed), previous: writtenPrevious(packed), current: writtenCount(packed) };
}

// The counter's one integer, to and from the decimal string a key holds, in JS. Counts past a few
// units make it larger than 2^30, where String() and Number() leave V8's fast paths for its general
// double conversions (~90 and ~50 ns); an in-process check does both on every limit (on a store
// without `setInteger`), so these stay on integers of at most 9 and 15 digits.

/** `slot + 4 * (previous + SPAN * current)`: the one integer a counter's key holds. */
export function packInteger(slot: number, previous: number, current: number): number {
  return slot + 4 * (previous + SPAN * current);
}

/** {@link packInteger} in decimal, as the Lua's `string.format('%d', …)` writes it. */
export function packCounts(slot: number, previous: number, current: number): string {
  return decimal(packInteger(slot, previous, current));
}

/** A non-negative safe integer in decimal: `String(value)`, in two parts of at most 9 digits. */
export function decimal(value: number): string {
  if (value < 1e9) return String(value);
  let high = Math.floor(value / 1e9);
  let low = value - high * 1e9; // exact: both are integers below 2^53
  // value / 1e9 may round up to the next integer just below a multiple of 1e9.
  if (low < 0) {
    high -= 1;
    low += 1e9;
  }
  const digits = String(low);
  return `${high}${"000000000".slice(digits.length)}${digits}`;
}

/** `Number(text)`, read digit by digit when it is up to 15 of them (every value below 2^53 that short is exact). */
export function integer(text: string): number {
  const length = text.length;
  if (length === 0 || length > 15) return Number(text);
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number(text);
    value = value * 10 + digit;
  }
  return value;
}
