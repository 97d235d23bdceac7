import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// The set-up `pnpm test` and `.ci/run` share, run for real by bash with a PATH made for each case:
// real `bash`, `cut`, `cp` and `chmod`; stand-ins for `id`, `sudo`, `apt-get` that record how they were
// called, so no case installs anything on this machine.

const run = promisify(execFile);
const script = fileURLToPath(new URL("../ensure-redis-server.sh", import.meta.url));

let bin: string;
beforeEach(async () => {
  bin = await mkdtemp(join(tmpdir(), "ensure-redis-"));
  for (const tool of ["bash", "cut", "cp", "chmod"]) {
    const { stdout } = await run("bash", ["-c", `command -v ${tool}`]);
    await symlink(stdout.trim(), join(bin, tool));
  }
});
afterEach(() => rm(bin, { recursive: true, force: true }));

async function tool(name: string, body: string): Promise<void> {
  await writeFile(join(bin, name), `#!${join(bin, "bash")}\n${body}\n`);
  await chmod(join(bin, name), 0o755);
}

/** An apt-get that logs its arguments and, on `install`, puts redis-server and redis-cli on PATH. */
async function fakeAptGet(): Promise<void> {
  await tool(
    "apt-get",
    [
      `echo "apt-get $*" >> ${join(bin, "calls.log")}`,
      `if [ "$1" = install ]; then`,
      `  printf '#!/bin/sh\\necho "Redis server v=7.0.15"\\n' > ${join(bin, "redis-server")}`,
      `  cp ${join(bin, "redis-server")} ${join(bin, "redis-cli")}`,
      `  chmod +x ${join(bin, "redis-server")} ${join(bin, "redis-cli")}`,
      "fi",
    ].join("\n"),
  );
}

async function ensure(): Promise<{ code: number; stderr: string; calls: string }> {
  const outcome = await run(join(bin, "bash"), [script], { env: { PATH: bin } }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
  const calls = await readFile(join(bin, "calls.log"), "utf8").catch(() => "");
  return { ...outcome, calls };
}

describe("ensure-redis-server.sh", () => {
  it("does nothing when redis-server and redis-cli are on PATH", async () => {
    await fakeAptGet();
    await tool("id", "echo 0");
    await tool("redis-server", "exit 0");
    await tool("redis-cli", "exit 0");
    expect(await ensure()).toEqual({ code: 0, stderr: "", calls: "" });
  });

  it("installs Debian's redis-server with apt-get as root", async () => {
    await fakeAptGet();
    await tool("id", "echo 0");
    const outcome = await ensure();
    expect(outcome.code).toBe(0);
    expect(outcome.calls).toBe(
      "apt-get update -qq\napt-get install -y -qq --no-install-recommends redis-server\n",
    );
    expect(outcome.stderr).toContain("installed Redis server v=7.0.15");
  });

  it("installs with sudo when sudo needs no password", async () => {
    await fakeAptGet();
    await tool("id", "echo 1000");
    await tool(
      "sudo",
      `echo "sudo $*" >> ${join(bin, "calls.log")}; if [ "$1" = -n ]; then exit 0; fi; "$@"`,
    );
    const outcome = await ensure();
    expect(outcome.code).toBe(0);
    expect(outcome.calls).toContain("sudo apt-get install -y -qq --no-install-recommends redis-server\n");
  });

  it("installs nothing without root or passwordless sudo: prints the one command and fails", async () => {
    await fakeAptGet();
    await tool("id", "echo 1000");
    await tool("sudo", `echo "sudo $*" >> ${join(bin, "calls.log")}; exit 1`); // would ask for a password
    const outcome = await ensure();
    expect(outcome.code).toBe(1);
    expect(outcome.calls).toBe("sudo -n true\n");
    expect(outcome.stderr).toContain("\n    sudo apt-get update && sudo apt-get install -y redis-server\n");
  });

  it("names the package manager's command where there is no apt-get", async () => {
    await tool("id", "echo 1000");
    await tool("brew", "exit 0");
    const outcome = await ensure();
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("\n    brew install redis\n");
  });
});
