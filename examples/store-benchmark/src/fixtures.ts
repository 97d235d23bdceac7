import { createHash } from "node:crypto";

/** The tool every cached call goes to. */
export const TOOL = "search_docs";

/** Argument sets drawn by the Zipf sequences: rank 0 is the most popular call. */
export const UNIVERSE = 1000;

export type ToolArgs = Record<string, unknown>;

const TOPICS = ["monitoring", "rate limits", "caching", "locks", "shutdown", "health", "redis", "auth"];
const LANGS = ["en", "de", "fr", "ja"];

/** Realistic search arguments: a query, paging, and nested filters (so key derivation has work to do). */
export function argumentSets(count = UNIVERSE): ToolArgs[] {
  return Array.from({ length: count }, (_, rank) => ({
    query: `${TOPICS[rank % TOPICS.length]} guide ${rank}`,
    limit: 10 + (rank % 3) * 5,
    filters: {
      lang: LANGS[rank % LANGS.length],
      tags: ["docs", rank % 2 === 0 ? "how-to" : "reference"],
      updatedAfter: "2026-01-01",
    },
    includeArchived: rank % 5 === 0,
  }));
}

/**
 * The same arguments on another "day": a fresh key space for each pass over a tool-call sequence.
 * Object.assign, not `{ ...args, day }`: V8 gives a spread object that then gains a member a slow
 * layout (about 0.5 µs to build, and every line then reads it at a fraction of its speed), unlike
 * the arguments an MCP server gets from JSON.parse.
 */
export function onDay(args: ToolArgs, day: number): ToolArgs {
  return Object.assign({}, args, { day });
}

/**
 * A tool result of about `bytes` bytes as JSON: MCP's `structuredContent` with a short text,
 * so every path, ours included, pays a real JSON.parse (no codec shortcut for text-only results).
 */
export function toolResult(rank: number, bytes: number): object {
  const results: object[] = [];
  const result = {
    content: [{ type: "text", text: `results for call ${rank}` }],
    structuredContent: { results },
  };
  let size = JSON.stringify(result).length;
  for (let i = 0; size < bytes; i++) {
    const item = { id: `doc-${rank}-${i}`, title: `Document ${i} for call ${rank}`, score: 1 / (i + 1) };
    results.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return result;
}

/** The guides' canonical form: sort object keys at every depth, then JSON.stringify. */
function deepSortKeys(obj: unknown): unknown {
  if (obj === null || typeof obj !== "object") return obj;
  if (Array.isArray(obj)) return obj.map(deepSortKeys);
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(obj as object).sort()) {
    sorted[key] = deepSortKeys((obj as Record<string, unknown>)[key]);
  }
  return sorted;
}

/** The guides' hand-written key, verbatim: `mcpcache:` + 16 hex characters of SHA-256. */
export function guideKey(tool: string, args: unknown): string {
  const rawKey = `${tool}:${JSON.stringify(deepSortKeys(args))}`;
  return `mcpcache:${createHash("sha256").update(rawKey).digest("hex").slice(0, 16)}`;
}
