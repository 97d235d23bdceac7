import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { ReadmeBlock } from "./readme-blocks";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** This package: programs run from here, so `@mcp-persist/*` resolve to the built packages. */
export const packageDir = fileURLToPath(new URL("../", import.meta.url));
/** Where the programs are written (git-ignored), inside the workspace for module resolution. */
export const programsDir = join(packageDir, ".programs");

/**
 * The file a block is written to: `packages-lock-README-L9.ts`; a `js` block is an ES module
 * (`.mjs`, as the READMEs' `node server.mjs`); a vitest file gets its own folder and `.test.`.
 */
export function programPath(block: ReadmeBlock): string {
  const slug = `${block.readme.replace(/\.md$/, "").replace(/[^\w]+/g, "-")}-L${block.line}`;
  const ext = block.lang === "ts" ? "ts" : "mjs";
  return block.kind === "vitest"
    ? join(programsDir, slug, `${slug}.test.${ext}`)
    : join(programsDir, `${slug}.${ext}`);
}

/** Writes every block to its file, after clearing what an earlier run left. */
export async function writePrograms(blocks: readonly ReadmeBlock[]): Promise<void> {
  await rm(programsDir, { recursive: true, force: true });
  await mkdir(programsDir, { recursive: true });
  for (const block of blocks) {
    const file = programPath(block);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${block.code}\n`);
    // Its own config, so the child vitest never picks up the repository's projects.
    if (block.kind === "vitest")
      await writeFile(join(dirname(file), "vitest.config.mjs"), "export default {};\n");
  }
}

/**
 * `tsc --strict` over the TypeScript programs, as an application would compile them (NodeNext,
 * the packages' published types, `skipLibCheck`); resolves with each file's diagnostics.
 */
export async function typecheckPrograms(blocks: readonly ReadmeBlock[]): Promise<Map<string, string[]>> {
  const typed = new Map(blocks.filter((b) => b.lang === "ts").map((b) => [programPath(b), b]));
  const files = [...typed.keys()];
  const diagnostics = new Map(files.map((f) => [f, [] as string[]]));
  if (files.length === 0) return diagnostics;
  const tsconfig = join(programsDir, "tsconfig.json");
  await writeFile(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: ["node"],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
      },
      files: files.map((f) => relative(programsDir, f)),
    }),
  );
  const tsc = require.resolve("typescript/bin/tsc");
  // Run from the programs' folder: tsc reports paths relative to the working directory.
  const output = await run(process.execPath, [tsc, "-p", tsconfig, "--pretty", "false"], {
    cwd: programsDir,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  let current: string[] | undefined;
  for (const line of output.split("\n")) {
    const at = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line);
    if (at !== null) {
      const file = join(programsDir, at[1] ?? "");
      const block = typed.get(file);
      current = diagnostics.get(file);
      // Reported at the README's line: the fence is line `block.line`, the code starts below it.
      current?.push(`${block?.readme}:${(block?.line ?? 0) + Number(at[2])}: ${at[4]}`);
    } else if (line.startsWith(" ") && current !== undefined) {
      current[current.length - 1] += `\n${line}`;
    }
  }
  return diagnostics;
}
