import { createHash } from "node:crypto";
import stringify from "safe-stable-stringify";

/** The guides' hand-written key: deep-sort, JSON.stringify, SHA-256 truncated to 32 hex characters. */
export function guideKey(args: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(deepSortKeys(args)))
    .digest("hex")
    .slice(0, 32);
}

function deepSortKeys(obj: unknown): unknown {
  if (obj === null || typeof obj !== "object") return obj;
  if (Array.isArray(obj)) return obj.map(deepSortKeys);
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(obj as object).sort()) {
    sorted[key] = deepSortKeys((obj as Record<string, unknown>)[key]);
  }
  return sorted;
}

/** The library answer: safe-stable-stringify (sorted keys, cycle-safe) and SHA-256. */
export function stableStringifyKey(args: unknown): string {
  return createHash("sha256")
    .update(stringify(args) ?? "")
    .digest("hex")
    .slice(0, 32);
}

/** 2 fields: the typical `search_docs` call. */
export const small = { query: "mcp monitoring", limit: 5 };

/** 20 fields, nested: a filter-heavy search. */
export const medium = {
  query: "uptime check for the payments api",
  limit: 20,
  offset: 40,
  sort: { field: "updated_at", order: "desc" },
  filters: {
    status: ["open", "in_progress"],
    labels: ["bug", "p1"],
    created: { from: "2026-01-01", to: "2026-11-01" },
    owner: { team: "sre", user: null },
  },
  includeArchived: false,
  fields: ["id", "title", "status", "owner", "updated_at"],
  locale: "en-GB",
  timezone: "Europe/London",
  highlight: true,
  fuzzy: 0.2,
  region: "eu-west-1",
  tenant: "acme",
  cursor: null,
  version: 3,
};

/** ~10 KB: a tool that takes a document or a batch of records. */
export const large = {
  batch: Array.from({ length: 60 }, (_, i) => ({
    id: `rec-${i}`,
    name: `Record number ${i}`,
    tags: ["alpha", "beta", "gamma"].slice(0, (i % 3) + 1),
    score: i * 1.5,
    meta: { source: "import", row: i, valid: i % 7 !== 0 },
  })),
  options: { dedupe: true, mode: "upsert" },
};
