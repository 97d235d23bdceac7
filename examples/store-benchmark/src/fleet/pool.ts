import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol";

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
/** Longest a worker may take to answer one request (a stampede round, say) before it counts as failed. */
const ANSWER_MS = 60_000;

/** A worker process, spoken to one request at a time. */
export class Worker {
  readonly #child: ChildProcess;
  readonly #inbox: FromWorker[] = [];
  #waiting: ((message: FromWorker) => void) | undefined;
  #exited: string | undefined;

  constructor(readonly index: number) {
    // Run the same way as this process (node --import tsx): the worker is TypeScript too.
    this.#child = fork(WORKER, [], {
      execArgv: process.execArgv,
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child.on("message", (message) => this.#deliver(message as FromWorker));
    this.#child.on("exit", (code, signal) => {
      this.#exited = `worker ${index} exited (${signal ?? `code ${code}`})`;
      this.#deliver({ type: "failed", error: this.#exited });
    });
  }

  send(message: ToWorker): void {
    if (this.#exited !== undefined) throw new Error(this.#exited);
    this.#child.send(message);
  }

  /**
   * The next message of this type; a `failed` message (or the worker's exit) rejects. Answers of
   * another type are left over from a request that failed elsewhere: dropped.
   */
  async next<T extends FromWorker["type"]>(
    type: T,
    timeoutMs = ANSWER_MS,
  ): Promise<Extract<FromWorker, { type: T }>> {
    for (;;) {
      const message = await this.#receive(timeoutMs);
      if (message.type === "failed") throw new Error(`worker ${this.index}: ${message.error}`);
      if (message.type === type) return message as Extract<FromWorker, { type: T }>;
    }
  }

  /** Asks it to close its connections and exit; kills it if it has not within a few seconds. */
  async close(): Promise<void> {
    if (this.#exited !== undefined) return;
    const exited = new Promise((resolve) => this.#child.once("exit", resolve));
    try {
      this.send({ type: "exit" });
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }

  #deliver(message: FromWorker): void {
    const waiting = this.#waiting;
    if (waiting === undefined) {
      this.#inbox.push(message);
      return;
    }
    this.#waiting = undefined;
    waiting(message);
  }

  #receive(timeoutMs: number): Promise<FromWorker> {
    const queued = this.#inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        reject(new Error(`worker ${this.index} did not answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.#waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }
}

/** `count` worker processes, each connected to Redis with its own clients, ready for requests. */
export async function startWorkers(count: number, init: WorkerInit): Promise<Worker[]> {
  const workers = Array.from({ length: count }, (_, i) => new Worker(i));
  try {
    for (const w of workers) w.send({ type: "init", init });
    await Promise.all(workers.map((w) => w.next("ready")));
  } catch (error) {
    await Promise.all(workers.map((w) => w.close()));
    throw error;
  }
  return workers;
}

/** A worker's failure as one line: the worker's own error already names its kind. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
