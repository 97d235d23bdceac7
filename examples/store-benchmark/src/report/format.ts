import type { Role } from "../plan";

/** 812, 41.2k, 1.23M: three significant figures are all the noise here allows. */
export function formatRate(perSec: number): string {
  return scaled(perSec, ["", "k", "M"], "");
}

/** 812 µs, 1.30 ms, 2.27 s. */
export function formatMicros(us: number): string {
  return scaled(us, ["µs", "ms", "s"], " ");
}

/** Three significant figures in the largest unit (steps of 1000) that keeps the value ≥ 1. */
function scaled(value: number, units: readonly string[], gap: string): string {
  // Round first: 999.7 must become "1.00k", not "1.00e+3".
  let rounded = Number(value.toPrecision(3));
  let unit = 0;
  while (rounded >= 1000 && unit < units.length - 1) {
    rounded = Number((rounded / 1000).toPrecision(3));
    unit++;
  }
  return `${rounded.toPrecision(3)}${gap}${units[unit]}`;
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** Short names for the roles, as the table and the chart show them. */
export const ROLE_TAG: Record<Role, string> = {
  ours: "ours",
  baseline: "raw",
  reference: "guides",
  peer: "peer",
};
