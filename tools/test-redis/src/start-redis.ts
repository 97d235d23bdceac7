import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { RedisHarnessError } from "./errors";
import { freePort } from "./free-port";
import { exited, trackDir, untrackDir } from "./process-registry";
import { type SpawnedRedis, spawnRedis } from "./spawn-redis";

/** A graceful stop that takes longer than this (it never should) ends in SIGKILL. */
const STOP_GRACE_MS = 5000;

/** One redis-server process on a fixed loopback port, with the controls a failure test needs. */
export interface RedisServer {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Pid of the current redis-server process (changes after `restart()`). */
  readonly pid: number;
  /** SIGKILL, resolves once the process has exited: a crash. */
  kill(): Promise<void>;
  /** SIGSTOP: a hung server (TCP connections are accepted, nothing answers). */
  freeze(): void;
  /** SIGCONT after `freeze()`. */
  thaw(): void;
  /** Starts again on the same port and dir (SIGKILLs a still-running process first); resolves once it answers. */
  restart(): Promise<void>;
  /** Graceful: thaw if frozen, SIGTERM, wait for exit, remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Extra `redis-server` arguments, appended after the harness's own (later ones win). */
  args?: string[];
}

class ManagedRedis implements RedisServer {
  readonly host = "127.0.0.1" as const;
  readonly url: string;
  #process: SpawnedRedis;
  #frozen = false;
  #stopping: Promise<void> | undefined;

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly args: readonly string[],
    spawned: SpawnedRedis,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
    this.#process = spawned;
  }

  get pid(): number {
    return this.#process.child.pid ?? -1;
  }

  #running(): boolean {
    const { child } = this.#process;
    return child.exitCode === null && child.signalCode === null;
  }

  async kill(): Promise<void> {
    if (this.#running()) this.#process.child.kill("SIGKILL");
    this.#frozen = false;
    await exited(this.#process.child);
  }

  freeze(): void {
    if (this.#running()) this.#process.child.kill("SIGSTOP");
    this.#frozen = true;
  }

  thaw(): void {
    if (this.#running()) this.#process.child.kill("SIGCONT");
    this.#frozen = false;
  }

  async restart(): Promise<void> {
    if (this.#stopping !== undefined) {
      throw new RedisHarnessError(
        "REDIS_START_FAILED",
        `restart() after stop() on port ${this.port}: start a new server instead`,
      );
    }
    await this.kill();
    this.#process = await spawnRedis(this.port, this.dir, this.args);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const { child } = this.#process;
    if (this.#running()) {
      if (this.#frozen) this.thaw();
      child.kill("SIGTERM");
      const gone = await Promise.race([exited(child).then(() => true), sleep(STOP_GRACE_MS, false)]);
      if (!gone) await this.kill();
    }
    await rm(this.dir, { recursive: true, force: true });
    untrackDir(this.dir);
  }
}

/**
 * Starts a throwaway redis-server on a free loopback port (no persistence, its own temp dir)
 * and resolves once it answers. Call `stop()` in `afterAll`; a forgotten server is still
 * killed when the test worker exits.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const args = options.args ?? [];
  const dir = await mkdtemp(join(tmpdir(), "mcp-persist-redis-"));
  trackDir(dir);
  try {
    // Two attempts: the port from freePort() can be taken before redis-server binds it.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return new ManagedRedis(port, dir, args, await spawnRedis(port, dir, args));
      } catch (error) {
        if (attempt >= 2 || !(error instanceof RedisHarnessError) || error.code !== "REDIS_PORT_IN_USE") {
          throw error;
        }
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    untrackDir(dir);
    throw error;
  }
}
