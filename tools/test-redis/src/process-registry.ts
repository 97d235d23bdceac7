import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { tellWatchdog } from "./watchdog";

/**
 * Every redis-server this worker started and has not seen exit, and every temp dir not yet
 * removed. Two nets catch what a test forgets to stop: a synchronous `exit` handler here,
 * and the watchdog for a worker that dies without running it. Only these pids are signalled.
 */
const liveProcesses = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of liveProcesses) child.kill("SIGKILL");
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

export function trackProcess(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  installExitHook();
  liveProcesses.add(child);
  tellWatchdog("+pid", pid);
  child.once("exit", () => {
    liveProcesses.delete(child);
    tellWatchdog("-pid", pid);
  });
}

export function trackDir(dir: string): void {
  installExitHook();
  liveDirs.add(dir);
  tellWatchdog("+dir", dir);
}

export function untrackDir(dir: string): void {
  liveDirs.delete(dir);
  tellWatchdog("-dir", dir);
}

/** Pids of the redis-server processes this worker started that are still running. */
export function runningRedisPids(): number[] {
  return [...liveProcesses].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/** Resolves once `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}
