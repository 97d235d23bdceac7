import { expect, it } from "vitest";
import { decimal, integer, packCounts, SPAN } from "../src/sliding-window-counter";

// The sliding-window counter's own integer conversions must agree with String() and Number() on
// everything a key can hold: the parity tests' small limits never take the packed value past
// 2^30, where these leave the engine's general conversions.

const edges = [
  0,
  1,
  9,
  10,
  999_999_999,
  1e9,
  1e9 + 1,
  2e9 - 1,
  2 ** 31,
  2 ** 32 + 7,
  123_456_789_012_345,
  999_999_999_999_999,
  1e15,
  2 ** 52 + 3,
  Number.MAX_SAFE_INTEGER,
  // Just below multiples of 1e9, where value / 1e9 rounds up to the next integer.
  ...Array.from({ length: 40 }, (_, i) => (2 ** 52 / 1e9 - i) * 1e9 - 1),
  ...Array.from({ length: 40 }, (_, i) => Math.floor(Number.MAX_SAFE_INTEGER / 1e9 - i) * 1e9 - 1),
];

it("decimal() writes what String() writes, for every non-negative safe integer tried", () => {
  for (const value of edges) expect(decimal(value), String(value)).toBe(String(value));
  let seed = 7;
  for (let i = 0; i < 20_000; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const value = Math.floor((seed / 2 ** 31) * 2 ** (1 + (i % 53)));
    expect(decimal(value), String(value)).toBe(String(value));
  }
});

it("integer() reads what Number() reads, digits or not", () => {
  for (const value of edges) expect(integer(String(value))).toBe(value);
  for (const text of ["", "0", "007", "12a", "-5", " 5", "1e3", "1.5", "9".repeat(15), "9".repeat(16), "x"]) {
    expect(integer(text), JSON.stringify(text)).toBe(Number(text));
  }
});

it("packCounts() writes the counter the Lua writes: slot + 4 * (previous + SPAN * current)", () => {
  expect(packCounts(3, SPAN - 1, SPAN - 1)).toBe(String(3 + 4 * (SPAN - 1 + SPAN * (SPAN - 1))));
  expect(packCounts(2, 5, 1_000_000)).toBe(String(2 + 4 * (5 + SPAN * 1_000_000)));
  expect(packCounts(0, 0, 0)).toBe("0");
});
