import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installTarballs, loadAll } from "./support/consumer-install";
import { type PackageJson, publicPackages, readJson, repoRoot, stageRelease } from "./support/release-stage";

// The versioning policy of the root README ("Versions"), checked on what a release would publish:
// the pending changesets applied by `changeset version` to a copy of the packages, packed with
// `pnpm pack`, installed with npm. Needs the built packages and the npm registry (for
// third-party dependencies).

const CORE = "@mcp-persist/cache-core";

let work: string;
let firstRelease: Record<string, string>;
let firstTarballs: Record<string, string>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "mcp-persist-release-"));
  const stage = await stageRelease(await mkdtemp(join(work, "stage-")));
  await stage.version();
  firstRelease = await stage.versions();
  firstTarballs = await stage.pack(join(work, "first"));
}, 300_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe("the configuration", () => {
  it("keeps every published package in one fixed version group", async () => {
    const config = await readJson<{ fixed: string[][] }>(join(repoRoot, ".changeset/config.json"));
    const names = (await publicPackages()).map((p) => p.json.name).sort();
    expect(config.fixed).toEqual([names]);
  });

  it("declares internal peers and dependencies as workspace:^ (a caret range of the version released with them)", async () => {
    const ranges: Record<string, string> = {};
    for (const { json } of await publicPackages()) {
      for (const field of ["dependencies", "peerDependencies"] as const) {
        for (const [dep, range] of Object.entries(json[field] ?? {})) {
          if (dep.startsWith("@mcp-persist/")) ranges[`${json.name} ${field} ${dep}`] = range;
        }
      }
    }
    expect(Object.keys(ranges).length).toBeGreaterThan(0);
    for (const [where, range] of Object.entries(ranges))
      expect({ where, range }).toEqual({ where, range: "workspace:^" });
  });
});

describe("the next release", () => {
  it("gives every package the same version, at 1.0.0 or later (under 0.x a caret range pins a minor)", () => {
    const versions = new Set(Object.values(firstRelease));
    expect([...versions]).toHaveLength(1);
    const [major] = [...versions][0]!.split(".").map(Number);
    expect(major).toBeGreaterThanOrEqual(1);
  });

  it("publishes peer ranges that accept later releases of cache-core", () => {
    const manifest = JSON.parse(
      execFileSync("tar", ["-xzOf", firstTarballs["@mcp-persist/store-lru"]!, "package/package.json"], {
        encoding: "utf8",
      }),
    ) as PackageJson;
    expect(manifest.peerDependencies?.[CORE]).toBe(`^${firstRelease[CORE]}`);
  });
});

describe.each([["patch"], ["minor"]] as const)("a later %s release of cache-core", (bump) => {
  it("installs with npm beside the stores and capabilities of the release before (no ERESOLVE) and loads", async () => {
    // Applied to a fresh copy each time, so the patch and the minor each follow the first release.
    const later = await stageRelease(await mkdtemp(join(work, `stage-${bump}-`)));
    await later.version();
    await later.addChangeset(`cache-core-${bump}`, { [CORE]: bump });
    await later.version();
    const next = (await later.versions())[CORE];
    const [major = 0, minor = 0, patch = 0] = (firstRelease[CORE] ?? "").split(".").map(Number);
    expect(next).toBe(bump === "patch" ? `${major}.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`);
    // What `npm install @mcp-persist/cache-core@latest` fetches: cache-core and its own dependencies
    // (keys, released with it); the stores and capabilities stay at the release before.
    const core = await readJson<PackageJson>(join(later.dir, "packages/cache-core/package.json"));
    const withDeps = [
      CORE,
      ...Object.keys(core.dependencies ?? {}).filter((d) => d.startsWith("@mcp-persist/")),
    ];
    const newCore = await later.pack(join(work, bump), withDeps);

    const install = await installTarballs(work, { ...firstTarballs, ...newCore });
    expect(install.output).not.toContain("ERESOLVE");
    expect(install.ok, install.output).toBe(true);
    const installed = await readJson<PackageJson>(join(install.dir, "node_modules", CORE, "package.json"));
    expect(installed.version).toBe(next);
    await loadAll(install.dir, Object.keys(firstTarballs));
  });
});
