import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The example's directory: the child runs `node --import tsx src/main.ts` from there, as `pnpm start` does. */
export const EXAMPLE_DIR = fileURLToPath(new URL("../../", import.meta.url));
/** The command line an MCP client's configuration would hold (the `start` script, without pnpm). */
export const SERVER_ARGS = ["--import", "tsx", "src/main.ts"];
/**
 * How long a server may take to exit after SIGTERM or the end of its stdin: the example's
 * contract (10 s), used as a guard against a hang, not as a measure of speed.
 */
export const EXIT_CONTRACT_MS = 10_000;

/** One JSON log line the server wrote to stderr. */
export type LogLine = { event?: string; [field: string]: unknown };

/** Collects a stream's JSON lines and waits for one with a given `event`. */
export class LogReader {
  readonly lines: LogLine[] = [];
  #waiters: { event: string; resolve: (line: LogLine) => void }[] = [];
  #partial = "";

  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding?.("utf8");
    stream.on("data", (chunk: string | Buffer) => this.#read(String(chunk)));
  }

  #read(chunk: string): void {
    const parts = (this.#partial + chunk).split("\n");
    this.#partial = parts.pop() ?? "";
    for (const part of parts) {
      let line: LogLine;
      try {
        line = JSON.parse(part) as LogLine;
      } catch {
        line = { text: part };
      }
      this.lines.push(line);
      for (const waiter of this.#waiters.filter((w) => w.event === line.event)) waiter.resolve(line);
      this.#waiters = this.#waiters.filter((w) => w.event !== line.event);
    }
  }

  /** Resolves with the first line whose `event` is `event` (already logged or still to come). */
  next(event: string): Promise<LogLine> {
    const seen = this.lines.find((line) => line.event === event);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ event, resolve }));
  }

  text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join("\n");
  }
}

/** How a server process ended. `byItself` is false when the guard had to kill it. */
export type Exit = { code: number | null; signal: NodeJS.Signals | null; byItself: boolean };

/** A server child process the test owns: its logs, its pipes and how it ended. */
export interface ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly log: LogReader;
  /** Resolves once the process has exited; after `guardMs` from `stop()`/`expectExit()` it is killed. */
  readonly exited: Promise<Exit>;
  /** Starts the guard: the process must exit by itself within `guardMs` from now. */
  expectExit(guardMs?: number): Promise<Exit>;
  /** SIGKILL if it is still running (teardown). */
  kill(): void;
}

export function spawnServer(env: Record<string, string>, args: string[] = []): ServerProcess {
  const child = spawn(process.execPath, [...SERVER_ARGS, ...args], {
    cwd: EXAMPLE_DIR,
    env: { ...process.env, ...env },
    stdio: "pipe",
  });
  const log = new LogReader(child.stderr);
  let byItself = true;
  let guard: NodeJS.Timeout | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, byItself });
    });
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  return {
    child,
    log,
    exited,
    expectExit(guardMs = EXIT_CONTRACT_MS) {
      guard ??= setTimeout(() => {
        byItself = false;
        kill();
      }, guardMs);
      return exited;
    },
    kill,
  };
}

/** Starts `start:http` on a free loopback port and resolves once it listens. */
export async function startHttpServer(
  env: Record<string, string>,
): Promise<ServerProcess & { mcpUrl: URL; opsUrl: URL }> {
  const server = spawnServer({ PORT: "0", ...env }, ["--http"]);
  const listening = await Promise.race([
    server.log.next("http_listening"),
    server.exited.then((exit) => {
      throw new Error(`the server exited (${JSON.stringify(exit)}) before listening:\n${server.log.text()}`);
    }),
  ]);
  const mcpUrl = new URL(listening.url as string);
  const opsUrl =
    env.HEALTH_PORT === undefined
      ? new URL("/", mcpUrl)
      : new URL(`http://127.0.0.1:${(await server.log.next("ops_listening")).port}/`);
  return Object.assign(server, { mcpUrl, opsUrl });
}
