/**
 * Renders an offending value for an error message. Never throws, whatever it is handed (a BigInt,
 * a symbol, `Object.create(null)`, a revoked Proxy): a bad option must end in the error that
 * explains it, not in a TypeError from building that error. A short cousin of `describeValue`
 * in `@mcp-persist/keys`, for the packages that do not depend on keys (health, shutdown).
 */
export function describe(value: unknown): string {
  try {
    if (typeof value === "string")
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
    if (typeof value === "function") return "a function";
    if (typeof value !== "object" || value === null)
      return typeof value === "bigint" ? `${value}n` : String(value);
    return Array.isArray(value) ? "an array" : `an object with keys [${Object.keys(value).join(", ")}]`;
  } catch {
    return `an unprintable ${typeof value}`;
  }
}
