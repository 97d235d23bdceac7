import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const changesetBin = join(repoRoot, "node_modules/@changesets/cli/bin.js");

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

/** The published packages: `packages/*` that are not private. */
export async function publicPackages(): Promise<{ dir: string; json: PackageJson }[]> {
  const found = [];
  for (const entry of await readdir(join(repoRoot, "packages"), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const json = await readJson<PackageJson>(join(repoRoot, "packages", entry.name, "package.json"));
    if (json.private !== true) found.push({ dir: entry.name, json });
  }
  return found;
}

/**
 * A copy of what a release is made from — the published packages (manifest, README, built
 * dist), the workspace file and `.changeset/` — in `dir`, where `changeset version` and
 * `pnpm pack` can run as they would on the release branch without touching the repository.
 */
export async function stageRelease(dir: string): Promise<ReleaseStage> {
  const packages = await publicPackages();
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "release-stage", private: true }));
  await writeFile(join(dir, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  await cp(join(repoRoot, ".changeset"), join(dir, ".changeset"), { recursive: true });
  // The changelog generator is not under test (and would need git history): versions are.
  const configPath = join(dir, ".changeset/config.json");
  await writeFile(
    configPath,
    JSON.stringify({ ...(await readJson<Record<string, unknown>>(configPath)), changelog: false }),
  );
  const staged = new Map(packages.map((p) => [p.json.name, p.dir]));
  for (const { dir: name, json } of packages) {
    const from = join(repoRoot, "packages", name);
    const to = join(dir, "packages", name);
    await mkdir(to, { recursive: true });
    for (const file of ["README.md", "dist"]) await cp(join(from, file), join(to, file), { recursive: true });
    // devDependencies never reach a consumer's install; dropped so the stage needs no test tools.
    const { devDependencies: _, ...manifest } = json;
    await writeFile(join(to, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    // What `pnpm install` links for workspace dependencies: `pnpm pack` reads their versions there.
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      const sibling = staged.get(dep);
      if (sibling === undefined) continue;
      await mkdir(join(to, "node_modules", dirname(dep)), { recursive: true });
      await symlink(join(dir, "packages", sibling), join(to, "node_modules", dep), "dir");
    }
  }
  return new ReleaseStage(
    dir,
    packages.map((p) => p.dir),
  );
}

export class ReleaseStage {
  constructor(
    readonly dir: string,
    readonly packageDirs: readonly string[],
  ) {}

  /** Adds a changeset, as `pnpm changeset` would. */
  async addChangeset(id: string, bumps: Record<string, "patch" | "minor" | "major">): Promise<void> {
    const front = Object.entries(bumps).map(([name, type]) => `"${name}": ${type}`);
    await writeFile(join(this.dir, ".changeset", `${id}.md`), `---\n${front.join("\n")}\n---\n\n${id}\n`);
  }

  /** `changeset version`: what `pnpm version-packages` does on the release branch. */
  async version(): Promise<void> {
    await run(process.execPath, [changesetBin, "version"], { cwd: this.dir });
  }

  async versions(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const name of this.packageDirs) {
      const json = await readJson<PackageJson>(join(this.dir, "packages", name, "package.json"));
      out[json.name] = json.version;
    }
    return out;
  }

  /** `pnpm pack` (the publish path: `workspace:` ranges become real ones) into `into`; returns name → tarball. */
  async pack(into: string, only?: readonly string[]): Promise<Record<string, string>> {
    await mkdir(into, { recursive: true });
    const tarballs: Record<string, string> = {};
    for (const name of this.packageDirs) {
      const cwd = join(this.dir, "packages", name);
      const json = await readJson<PackageJson>(join(cwd, "package.json"));
      if (only !== undefined && !only.includes(json.name)) continue;
      const { stdout } = await run("pnpm", ["pack", "--json", "--pack-destination", into], { cwd });
      tarballs[json.name] = (JSON.parse(stdout) as { filename: string }).filename;
    }
    return tarballs;
  }
}
