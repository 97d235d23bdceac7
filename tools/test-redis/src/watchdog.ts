import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";

/**
 * A tiny detached node process that outlives the test worker. The worker tells it, one line
 * at a time, which redis-server pids and temp dirs it owns; when the worker dies in any way
 * (even SIGKILL, when no `exit` handler runs) the watchdog's stdin ends and it kills exactly
 * those pids (after checking /proc that each is still a redis-server) and removes those dirs.
 */
const WATCHDOG_SOURCE = `
const fs = require("node:fs");
const pids = new Set();
const dirs = new Set();
let pending = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  pending += chunk;
  let newline;
  while ((newline = pending.indexOf("\\n")) >= 0) {
    const [op, value] = pending.slice(0, newline).split("\\t");
    pending = pending.slice(newline + 1);
    if (op === "+pid") pids.add(Number(value));
    if (op === "-pid") pids.delete(Number(value));
    if (op === "+dir") dirs.add(value);
    if (op === "-dir") dirs.delete(value);
  }
});
function isRedis(pid) {
  if (!fs.existsSync("/proc/self")) return true;
  try { return fs.readFileSync("/proc/" + pid + "/cmdline", "utf8").includes("redis-server"); }
  catch { return false; }
}
process.stdin.on("end", () => {
  for (const pid of pids) { try { if (isRedis(pid)) process.kill(pid, "SIGKILL"); } catch {} }
  for (const dir of dirs) { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
});
`;

let watchdog: ChildProcess | undefined;

function ensureWatchdog(): ChildProcess {
  if (watchdog === undefined) {
    // Detached: its own process group, so a signal aimed at the worker's group spares it.
    watchdog = spawn(process.execPath, ["-e", WATCHDOG_SOURCE], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    });
    watchdog.on("error", () => {});
    // Neither the process nor its pipe may keep the test worker alive.
    watchdog.unref();
    (watchdog.stdin as Socket | null)?.unref();
  }
  return watchdog;
}

/** Tells the watchdog about one change (`+pid 123`, `-dir /tmp/x`). */
export function tellWatchdog(op: "+pid" | "-pid" | "+dir" | "-dir", value: string | number): void {
  ensureWatchdog().stdin?.write(`${op}\t${value}\n`);
}
