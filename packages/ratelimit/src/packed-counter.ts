// The sliding-window counter's one integer, to and from the decimal string a key holds, in JS.
// Counts past a few units make it larger than 2^30, where String() and Number() leave V8's fast
// paths for its general double conversions (~90 and ~50 ns); an in-process check does both on
// every limit, so these stay on integers of at most 9 and 15 digits.

/** 2^25: the span of one packed count (limits stay below it). `SPAN` in the Lua: a test checks they agree. */
export const SPAN = 2 ** 25;

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
