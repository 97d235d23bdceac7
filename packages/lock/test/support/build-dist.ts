import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// Worker processes cannot use vitest's source aliases: they import the built packages. The root
// `pnpm test` builds everything first; run alone, this builds what is missing, and rebuilds this
// package when its dist is older than its sources (so a worker never runs stale lock code).
const root = new URL("../../../../", import.meta.url).pathname;
const dependencies = ["keys", "cache-core", "store-ioredis", "store-node-redis"];

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    }),
  );
}

const dist = (name: string) => join(root, "packages", name, "dist", "index.js");

function build(args: string[]): void {
  try {
    execFileSync("pnpm", args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  } catch {
    // Not fatal here: only the multi-process tests need dist, and they fail with the import error.
    console.error(`[lock tests] pnpm ${args.join(" ")} failed; multi-process tests will fail`);
  }
}

export default function setup(): void {
  if (dependencies.some((name) => !existsSync(dist(name)))) {
    build(["turbo", "run", "build", "--filter=@mcp-persist/lock..."]);
  } else if (
    !existsSync(dist("lock")) ||
    statSync(dist("lock")).mtimeMs < newest(join(root, "packages/lock/src"))
  ) {
    build(["--filter", "@mcp-persist/lock", "run", "build"]);
  }
}
