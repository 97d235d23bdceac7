import type { Role } from "../plan";
import { element, escapeXml, text } from "./svg";

/** The chart's layout and colours, shared by its sections. */
export const LEFT = 24;
export const BAR_X = 300;
export const BAR_MAX = 360;
export const VALUE_X = BAR_X + BAR_MAX + 16;
/** Where the quieter figures after a line's main value start. */
export const DETAIL_X = VALUE_X + 80;
export const ROW = 26;

export const COLOR: Record<Role, string> = {
  ours: "#2563eb",
  baseline: "#9ca3af",
  reference: "#f59e0b",
  peer: "#8b5cf6",
};
/** A line's label, and its failure where its bar would be; returns whether the bar should follow. */
export function rowLabel(
  out: string[],
  y: number,
  s: { label: string; role: Role; error?: string },
): boolean {
  out.push(
    text(BAR_X - 10, y, s.label, { "text-anchor": "end", class: s.role === "ours" ? "ours" : undefined }),
  );
  if (s.error === undefined) return true;
  out.push(text(BAR_X, y, `failed: ${s.error}`.slice(0, 110), { fill: "#dc2626" }));
  return false;
}

/** A section heading with a quieter remark after it, flowing as one line. */
export function heading(y: number, title: string, remark: string): string {
  const parts =
    element("tspan", { class: "h" }, escapeXml(title)) +
    element("tspan", { class: "small", dx: 10 }, escapeXml(remark));
  return element("text", { x: LEFT, y }, parts);
}

/** Splits text at spaces into lines of at most `width` characters (SVG text does not wrap). */
export function wrap(content: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of content.split(" ")) {
    if (current !== "" && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === "" ? word : `${current} ${word}`;
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}
