import { execFile, execFileSync } from "node:child_process";
import { storeConformance } from "@mcp-persist/cache-core/testing";
import { beforeAll, expect, it, test } from "vitest";
import { lruStore } from "../src/index";

// Nothing to lose in process: no outages to give the kit, which skips those tests.
storeConformance(test, () => lruStore({ max: 10_000 }), { shared: false, cluster: false });

const BUILD_TIMEOUT_MS = 300_000;
/** The child closes its store at once; this only guards against a hang. */
const EXIT_GUARD_MS = 10_000;

// The exit test runs the built package, as an application does; turbo skips an unchanged build.
beforeAll(() => {
  execFileSync(
    "pnpm",
    ["turbo", "run", "build", "--filter=@mcp-persist/store-lru...", "--output-logs=errors-only"],
    {
      cwd: new URL("../../..", import.meta.url),
      stdio: "inherit",
    },
  );
}, BUILD_TIMEOUT_MS);

it("a process that closes its store exits by itself, even with a purge timer per entry", async () => {
  const program = `
    const { lruStore } = await import(${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)});
    const store = lruStore({ ttlAutopurge: true });
    await store.set("k", "v", 3_600_000);
    await store.close();
    console.log("closed");`;
  const ended = await new Promise<{ killed: boolean; code: number; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        process.execPath,
        ["--input-type=module", "-e", program],
        { timeout: EXIT_GUARD_MS, killSignal: "SIGKILL" },
        (error, stdout, stderr) =>
          resolve({
            killed: error?.killed ?? false,
            code: typeof error?.code === "number" ? error.code : 0,
            stdout,
            stderr,
          }),
      );
    },
  );
  expect(ended, ended.stderr).toMatchObject({ killed: false, code: 0, stdout: "closed\n" });
});
