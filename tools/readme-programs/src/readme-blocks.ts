import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/**
 * How a README's code block is treated. Every `ts`/`js` block is a program that runs as written,
 * unless the README says otherwise in an HTML comment on the line right above its fence:
 *
 * - `<!-- fragment: why -->`: part of a program (a handler body, an interface, a config line);
 *   shown, never run. The reason is required, so a skip is always a decision someone wrote down.
 * - `<!-- program: script | stdio-server | http-server | vitest -->`: how to run it, where the
 *   guess from its contents (below) would be wrong.
 */
export type BlockKind = "script" | "stdio-server" | "http-server" | "vitest";

export interface ReadmeBlock {
  /** The README, relative to the repository root, e.g. `packages/lock/README.md`. */
  readonly readme: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: "ts" | "js";
  readonly code: string;
  /** `undefined` for a program; the README's reason for a fragment. */
  readonly fragment: string | undefined;
  /** How the program runs (for fragments: how it would). */
  readonly kind: BlockKind;
  /** Set when the block's marker comment cannot be understood: the block then fails. */
  readonly markerError: string | undefined;
}

const LANGS: Record<string, "ts" | "js"> = {
  ts: "ts",
  typescript: "ts",
  js: "js",
  javascript: "js",
  mjs: "js",
};
const KINDS: readonly BlockKind[] = ["script", "stdio-server", "http-server", "vitest"];

/** Every `ts`/`js` fenced block of one README's text. */
export function extractBlocks(readme: string, text: string): ReadmeBlock[] {
  const lines = text.split("\n");
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] ?? "");
    if (open === null) continue;
    const [, indent = "", fence = "", info = ""] = open;
    // CommonMark: the fence closes with the same character, at least as many, nothing after.
    const closing = new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`);
    const end = lines.findIndex((l, j) => j > i && closing.test(l));
    const close = end === -1 ? lines.length : end;
    const lang = LANGS[info.toLowerCase()];
    if (lang !== undefined) {
      const code = lines
        .slice(i + 1, close)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join("\n");
      blocks.push(makeBlock(readme, i + 1, lang, code, markerAbove(lines, i)));
    }
    i = close;
  }
  return blocks;
}

/** The HTML comment on the line right above the fence, if any. */
function markerAbove(lines: readonly string[], fenceIndex: number): string | undefined {
  const above = (lines[fenceIndex - 1] ?? "").trim();
  const comment = /^<!--\s*(.*?)\s*-->$/.exec(above);
  return comment?.[1];
}

function makeBlock(
  readme: string,
  line: number,
  lang: "ts" | "js",
  code: string,
  marker: string | undefined,
): ReadmeBlock {
  const base = {
    readme,
    line,
    lang,
    code,
    fragment: undefined,
    kind: guessKind(code),
    markerError: undefined,
  };
  if (marker === undefined) return base;
  const fragment = /^fragment\s*:\s*(\S.*)$/.exec(marker);
  if (fragment !== null) return { ...base, fragment: fragment[1] };
  const program = /^program\s*:\s*(\S+)$/.exec(marker);
  if (program !== null && KINDS.includes(program[1] as BlockKind))
    return { ...base, kind: program[1] as BlockKind };
  if (/^(fragment|program)\b/.test(marker)) {
    return {
      ...base,
      markerError:
        `unreadable marker <!-- ${marker} -->: write <!-- fragment: <why it does not run> --> ` +
        `or <!-- program: ${KINDS.join(" | ")} -->`,
    };
  }
  return base; // Another comment (a lint directive, a note): not ours.
}

/** What a program is, from what it uses. */
export function guessKind(code: string): BlockKind {
  if (/from\s+["']vitest["']/.test(code)) return "vitest";
  if (/\bStdioServerTransport\b|\bserveStdio\s*\(/.test(code)) return "stdio-server";
  if (/\.listen\s*\(/.test(code)) return "http-server";
  return "script";
}

/** The READMEs whose programs run: the root's, every package's, example's and tool's. */
export async function findReadmes(root: string): Promise<string[]> {
  const found = ["README.md"];
  for (const group of ["packages", "examples", "tools"]) {
    const entries = await readdir(join(root, group), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const readme = join(root, group, entry.name, "README.md");
      if (
        await readFile(readme).then(
          () => true,
          () => false,
        )
      )
        found.push(relative(root, readme));
    }
  }
  return found.sort();
}

export async function readmeBlocks(root: string): Promise<ReadmeBlock[]> {
  const blocks = [];
  for (const readme of await findReadmes(root)) {
    blocks.push(...extractBlocks(readme, await readFile(join(root, readme), "utf8")));
  }
  return blocks;
}
