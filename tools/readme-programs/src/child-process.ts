import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

/** Keep the end of what a program printed: enough to explain a failure. */
const OUTPUT_TAIL_CHARS = 6000;

/** A spawned program, with its output collected and its exit awaitable. */
export interface Program {
  readonly child: ChildProcess;
  /** stdout (unless piped elsewhere) and stderr, interleaved, the last few thousand characters. */
  output(): string;
  /** Resolves when the process has exited, or with `"timeout"` after `ms`. */
  exited(ms: number): Promise<Exit | "timeout">;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Spawns `node [...nodeArgs] file`; `stdout: "protocol"` leaves stdout to the caller (MCP over stdio). */
export function spawnNode(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdout?: "collect" | "protocol" },
): Program {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: "pipe" });
  let tail = "";
  const collect = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stderr.on("data", collect);
  if (options.stdout !== "protocol") child.stdout.on("data", collect);
  const exit = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  // A spawn failure (ENOENT...) shows as an exit with its message in the output.
  child.once("error", (error) => collect(Buffer.from(`\n[spawn error] ${error.message}\n`)));
  return {
    child,
    output: () => tail,
    exited: (ms) => Promise.race([exit, sleep(ms, "timeout" as const)]),
  };
}

/** Kills a program that outlived its test (SIGKILL: it already ignored what it should have obeyed). */
export async function killIfRunning(program: Program): Promise<void> {
  if (program.child.exitCode === null && program.child.signalCode === null) {
    program.child.kill("SIGKILL");
    await program.exited(5000);
  }
}

/** The environment a program gets: this one without the test runner's variables, plus `extra`. */
export function programEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TINYPOOL|NODE_OPTIONS$)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}
