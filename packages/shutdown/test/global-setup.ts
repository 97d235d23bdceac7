import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The fixtures run in child processes under plain node, which cannot load TypeScript: they
 * import the built packages (shutdown, and health for the readiness test), as users do. Build it first (turbo skips this when nothing changed).
 */
export default function buildPackage(): void {
  execFileSync(
    "pnpm",
    [
      "turbo",
      "run",
      "build",
      "--filter=@mcp-persist/shutdown",
      "--filter=@mcp-persist/health",
      "--output-logs=errors-only",
    ],
    {
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      stdio: "inherit",
    },
  );
}
