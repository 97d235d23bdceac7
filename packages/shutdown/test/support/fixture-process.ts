import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** One JSON line a fixture wrote (shutdown logs and fixture notes on stderr, events on stdout). */
export type LogLine = Record<string, unknown>;

export interface FixtureProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** JSON lines seen so far on stderr. */
  readonly logs: LogLine[];
  /** JSON lines seen so far on stdout. */
  readonly events: LogLine[];
  /** Lines that were not JSON objects, by stream. */
  readonly other: { stdout: string[]; stderr: string[] };
  /** Resolves with the first stdout line (or stderr line, with `from: "stderr"`) that matches. */
  waitFor(match: (line: LogLine) => boolean, from?: "stdout" | "stderr"): Promise<LogLine>;
  /** Resolves once the process has exited and its output is read, with when (`performance.now()`). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  signal(name: NodeJS.Signals): void;
}

const started = new Set<FixtureProcess>();

/** Runs `test/fixtures/<name>` under node; fixtures import the package's built `dist`. */
export function startFixture(name: string, env: Record<string, string> = {}): FixtureProcess {
  const script = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not start fixture ${name}`);
  const logs: LogLine[] = [];
  const events: LogLine[] = [];
  const other = { stdout: [] as string[], stderr: [] as string[] };
  const waiters: {
    from: "stdout" | "stderr";
    match: (line: LogLine) => boolean;
    resolve(line: LogLine): void;
  }[] = [];

  const collect = (from: "stdout" | "stderr", stream: NodeJS.ReadableStream, into: LogLine[]) => {
    let buffered = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const text of lines) {
        const line = parseJson(text);
        if (line === undefined) {
          other[from].push(text);
          continue;
        }
        into.push(line);
        for (const waiter of [...waiters]) {
          if (waiter.from !== from || !waiter.match(line)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    });
  };
  collect("stdout", child.stdout, events);
  collect("stderr", child.stderr, logs);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      child.once("close", (code, signal) => resolve({ code, signal, at: performance.now() }));
    },
  );
  const pid = child.pid;
  const fixture: FixtureProcess = {
    child,
    pid,
    logs,
    events,
    other,
    waitFor(match, from = "stdout") {
      const seen = (from === "stdout" ? events : logs).find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ from, match, resolve });
        void exited.then(() =>
          reject(
            new Error(`fixture ${name} exited before the awaited line; stderr:\n${other.stderr.join("\n")}`),
          ),
        );
      });
    },
    exited,
    signal: (signal) => process.kill(pid, signal),
  };
  started.add(fixture);
  void exited.then(() => started.delete(fixture));
  return fixture;
}

/** Kills every fixture this file started that is still running (by its pid, nothing else). */
export async function stopFixtures(): Promise<void> {
  await Promise.all(
    [...started].map((fixture) => {
      fixture.signal("SIGKILL");
      return fixture.exited;
    }),
  );
}

/** The port a fixture reported on its first stdout line. */
export async function listeningPort(fixture: FixtureProcess): Promise<number> {
  const line = await fixture.waitFor((event) => event.event === "listening");
  return line.port as number;
}

function parseJson(text: string): LogLine | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" ? (value as LogLine) : undefined;
  } catch {
    return undefined;
  }
}
