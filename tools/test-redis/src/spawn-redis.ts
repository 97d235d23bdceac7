import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { isMissingBinary, NOT_INSTALLED_HINT, RedisHarnessError } from "./errors";
import { answeringRedisPid } from "./ping";
import { exited, trackProcess } from "./process-registry";

/** How long a fresh redis-server may take to answer PING (a cold start is ~10 ms). */
const READY_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 20;
/** Keep only the tail of the server's log: enough to explain a failed start. */
const LOG_TAIL_CHARS = 4000;

/** A redis-server process plus the tail of what it printed. */
export interface SpawnedRedis {
  readonly child: ChildProcess;
  log(): string;
}

function collectLog(streams: (Readable | null)[]): () => string {
  let tail = "";
  for (const stream of streams) {
    if (stream === null) continue;
    // Keep draining for the process's whole life: a full pipe would block redis on its next log line.
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      tail = (tail + chunk).slice(-LOG_TAIL_CHARS);
    });
    (stream as Readable & { unref?: () => void }).unref?.();
  }
  return () => tail;
}

/**
 * Spawns `redis-server` (no shell) on `port`, its files in `dir`, and waits until it answers
 * (`INFO server` rather than a bare PING, so the answer is proven to come from this process).
 */
export async function spawnRedis(
  port: number,
  dir: string,
  extraArgs: readonly string[],
): Promise<SpawnedRedis> {
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--protected-mode",
    "no",
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
    "--dir",
    dir,
    ...extraArgs,
  ];
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  const log = collectLog([child.stdout, child.stderr]);
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const started = await Promise.race([
    spawnError,
    new Promise<"spawned">((resolve) => child.once("spawn", () => resolve("spawned"))),
  ]);
  if (started !== "spawned") {
    if (isMissingBinary(started))
      throw new RedisHarnessError("REDIS_NOT_INSTALLED", `redis-server ${NOT_INSTALLED_HINT}`);
    throw new RedisHarnessError("REDIS_START_FAILED", `could not spawn redis-server: ${started.message}`);
  }
  trackProcess(child);
  child.unref();

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = log();
      const code = output.includes("Address already in use") ? "REDIS_PORT_IN_USE" : "REDIS_START_FAILED";
      throw new RedisHarnessError(
        code,
        `redis-server on port ${port} exited before answering PING:\n${output}`,
      );
    }
    const answeringPid = await answeringRedisPid(port, 250);
    if (answeringPid === child.pid) return { child, log };
    if (answeringPid !== undefined) {
      // Another redis-server took the port between freePort() and our bind.
      child.kill("SIGKILL");
      await exited(child);
      throw new RedisHarnessError(
        "REDIS_PORT_IN_USE",
        `port ${port} is already served by pid ${answeringPid}`,
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
  child.kill("SIGKILL");
  await exited(child);
  throw new RedisHarnessError(
    "REDIS_START_TIMEOUT",
    `redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${log()}`,
  );
}
