import { execFileSync } from "node:child_process";

/**
 * Some tests run the built package in child processes, as applications do: build it and what it
 * depends on first (turbo skips what has not changed since the last build).
 */
export default function buildPackage(): void {
  execFileSync(
    "pnpm",
    ["turbo", "run", "build", "--filter=@mcp-persist/store-node-redis...", "--output-logs=errors-only"],
    { cwd: new URL("../../..", import.meta.url), stdio: "inherit" },
  );
}
