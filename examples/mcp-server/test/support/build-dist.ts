import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// The servers under test are child processes: they import the built packages, not the sources
// vitest aliases. The root `pnpm test` builds everything first; run alone, this builds what is missing.
const packagesDir = fileURLToPath(new URL("../../../../packages/", import.meta.url));

function unbuilt(name: string): boolean {
  const manifestPath = join(packagesDir, name, "package.json");
  if (!existsSync(manifestPath)) return false;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  return manifest.scripts?.build !== undefined && !existsSync(join(packagesDir, name, "dist", "index.js"));
}

export default function setup(): void {
  if (!readdirSync(packagesDir).some(unbuilt)) return;
  try {
    execFileSync("pnpm", ["turbo", "run", "build", "--filter=@mcp-persist/example-mcp-server..."], {
      cwd: join(packagesDir, ".."),
      stdio: ["ignore", "inherit", "inherit"],
    });
  } catch {
    // Not fatal here: the servers then fail to start, and the tests show their stderr.
    console.error("[example-mcp-server tests] the build failed; the servers under test will not start");
  }
}
