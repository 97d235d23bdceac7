/** Just enough SVG to draw the chart: elements as strings, text escaped. */

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

type Attrs = Record<string, string | number | undefined>;

export function element(name: string, attrs: Attrs, content = ""): string {
  const list = Object.entries(attrs)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join("");
  return content === "" ? `<${name}${list}/>` : `<${name}${list}>${content}</${name}>`;
}

export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return element("text", { x, y, ...attrs }, escapeXml(content));
}

export function rect(x: number, y: number, width: number, height: number, attrs: Attrs = {}): string {
  return element("rect", { x, y, width: Math.max(0, width), height, ...attrs });
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs: Attrs = {}): string {
  return element("line", { x1, y1, x2, y2, ...attrs });
}

/** A whole document; `body` already holds elements. Fonts are the system's: nothing is fetched. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  const style = [
    "text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;fill:#1f2937;font-size:12px}",
    ".title{font-size:20px;font-weight:700}",
    ".h{font-size:15px;font-weight:650}",
    ".sub{fill:#4b5563}",
    ".small{font-size:11px;fill:#6b7280}",
    ".num{font-variant-numeric:tabular-nums}",
    ".ours{font-weight:650}",
  ].join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    element("title", {}, escapeXml(title)),
    `<style>${style}</style>`,
    rect(0, 0, width, height, { fill: "#ffffff" }),
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
