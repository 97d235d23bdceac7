import { spawn } from "node:child_process";

/** How a child process ended, and what it printed. */
export interface Ended {
  /** False when it was still running after the guard, and was killed. */
  byItself: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `node` child process: waits on its output, ends its stdin, and reports how it exited. */
export interface NodeProcess {
  /** Resolves once a line of stdout equals `line`; rejects if the process exits first. */
  printed(line: string): Promise<void>;
  /** Ends its stdin: the fixtures' signal to go on. */
  endInput(): void;
  /** Resolves once it has exited by itself, or after `guardMs` with it killed. */
  readonly ended: Promise<Ended>;
}

/**
 * Runs `node ...args`, which must exit by itself: nothing but what it opened may keep it alive.
 * After `guardMs` (a guard against a hang, not a measure of speed) it is killed by its pid.
 */
export function runNode(args: string[], env: Record<string, string>, guardMs: number): NodeProcess {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let byItself = true;
  const guard = setTimeout(() => {
    byItself = false;
    if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  }, guardMs);
  const ended = new Promise<Ended>((resolve) => {
    child.once("close", (code) => {
      clearTimeout(guard);
      resolve({ byItself, code, stdout, stderr });
    });
  });
  const hasLine = (line: string) => stdout.split("\n").includes(line);
  return {
    printed: (line) =>
      new Promise((resolve, reject) => {
        if (hasLine(line)) return resolve();
        const onData = () => {
          if (!hasLine(line)) return;
          child.stdout.off("data", onData);
          resolve();
        };
        child.stdout.on("data", onData);
        void ended.then((end) =>
          reject(new Error(`the process exited before printing "${line}":\n${end.stderr}`)),
        );
      }),
    endInput: () => child.stdin.end(),
    ended,
  };
}
