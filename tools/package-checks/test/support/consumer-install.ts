import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface InstallOutcome {
  ok: boolean;
  /** npm's output, stdout then stderr: where an ERESOLVE shows. */
  output: string;
  dir: string;
}

/**
 * `npm install` of the given tarballs into a fresh project, the way an application installs the
 * published packages (npm, not pnpm: npm's peer resolution is the strict one users hit).
 * Third-party packages (and the Redis clients, which npm installs as peers) come from the registry.
 */
export async function installTarballs(
  parent: string,
  tarballs: Record<string, string>,
): Promise<InstallOutcome> {
  const dir = await mkdtemp(join(parent, "consumer-"));
  // A dependency of one tarball on another (`lock` → `keys`) is met by the tarball installed at the
  // top when its version is in range. No `overrides`: they would force peer ranges too, and hide
  // exactly the ERESOLVE this install is here to catch.
  const dependencies = Object.fromEntries(
    Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]),
  );
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }, null, 2),
  );
  try {
    const { stdout, stderr } = await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    );
    return { ok: true, output: stdout + stderr, dir };
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr, dir };
  }
}

/** Loads every package in the installed project, ESM and CJS, so a broken combination shows at load time. */
export async function loadAll(dir: string, names: readonly string[]): Promise<void> {
  const lines = names.map(
    (name) => `await import(${JSON.stringify(name)}); require(${JSON.stringify(name)});`,
  );
  const script = join(dir, "load-all.mjs");
  await writeFile(
    script,
    `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${lines.join("\n")}\n`,
  );
  await run(process.execPath, [script], { cwd: dir });
}
