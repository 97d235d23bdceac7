import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const fixture = fileURLToPath(new URL("./fixtures/throw-across-builds.mjs", import.meta.url));

// Needs the built packages (`pnpm build`; `pnpm test` builds first).
it("instanceof holds between the CJS and ESM builds, both ways, for subclasses and bases, never for unrelated classes", async () => {
  const { stdout } = await run(process.execPath, [fixture]);
  const expected: Record<string, boolean> = {};
  for (const [from, to] of [
    ["cjs", "esm"],
    ["esm", "cjs"],
  ]) {
    Object.assign(expected, {
      [`${from} InvalidTtlError instanceof ${to} InvalidTtlError`]: true,
      [`${from} InvalidTtlError instanceof ${to} McpPersistError`]: true,
      [`${from} InvalidTtlError instanceof Error`]: true,
      [`${from} InvalidTtlError instanceof ${to} StoreTimeoutError`]: false,
      [`${from} LockLostError instanceof ${to} LockLostError`]: true,
      [`${from} LockLostError instanceof ${to} McpPersistError`]: true,
      [`${from} LockLostError instanceof ${to} LockUnavailableError`]: false,
      [`${from} KeyError instanceof ${to} KeyError`]: true,
      [`${from} KeyError instanceof ${to} McpPersistError`]: false,
      [`${from} HealthOptionError instanceof ${to} HealthOptionError`]: true,
      [`${from} HealthOptionError instanceof ${to} HealthError`]: true,
      [`${from} HealthOptionError instanceof ${to} HealthCheckTimeoutError`]: false,
      [`${from} HealthOptionError instanceof ${to} ShutdownError`]: false,
      [`${from} ShutdownOptionError instanceof ${to} ShutdownOptionError`]: true,
      [`${from} ShutdownOptionError instanceof ${to} ShutdownError`]: true,
      [`${from} ShutdownOptionError instanceof ${to} ShutdownTimeoutError`]: false,
    });
  }
  Object.assign(expected, {
    "a look-alike StoreTimeoutError instanceof esm StoreTimeoutError": false,
    "a plain Error instanceof cjs McpPersistError": false,
    "a string instanceof esm McpPersistError": false,
    "null instanceof cjs KeyError": false,
    "cjs and esm errors are named alike": true,
  });
  expect(JSON.parse(stdout)).toEqual(expected);
});
