import { type ChildProcess, spawn } from "node:child_process";
import { afterEach } from "vitest";

const fixture = new URL("../fixtures/worker.mjs", import.meta.url).pathname;

/** What a worker process's burst of calls came to. */
export interface PhaseReport {
  /** How many calls ended in each status (`ran`, `busy`, `done`…). */
  counts: Record<string, number>;
  /** Who ran the side effect, as each `once` call that got a value saw it. */
  values: string[];
}

/** What a worker process reported, phase by phase, and how it ended. */
export interface WorkerReport {
  code: number | null;
  phases: PhaseReport[];
  stderr: string;
}

/** Starts worker processes running the built packages; any still running after a test is killed by pid. */
export function workerPool(): (options: Record<string, unknown>) => Promise<WorkerReport> {
  const running = new Set<ChildProcess>();
  afterEach(() => {
    for (const child of running) if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    running.clear();
  });
  return (options) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fixture, JSON.stringify(options)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      running.add(child);
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk));
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => {
        running.delete(child);
        resolve({ code, stderr, phases: stdout.trim() ? JSON.parse(stdout) : [] });
      });
    });
}
