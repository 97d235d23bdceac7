import { execFile } from "node:child_process";
import { isMissingBinary, NOT_INSTALLED_HINT, RedisHarnessError } from "./errors";

/** Bounded so a frozen server fails the test with a message instead of hanging it. */
const COMMAND_TIMEOUT_MS = 10_000;

/** Runs `redis-cli` with `args` (no shell) and resolves with its stdout. */
export function runRedisCli(args: string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("redis-cli", args, { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      if (isMissingBinary(error)) {
        return reject(new RedisHarnessError("REDIS_NOT_INSTALLED", `redis-cli ${NOT_INSTALLED_HINT}`));
      }
      reject(
        new RedisHarnessError(
          "REDIS_COMMAND_FAILED",
          `redis-cli ${args.join(" ")} failed (${error.message.trim()}): ${stdout}${stderr}`.trim(),
        ),
      );
    });
  });
}

/**
 * `redis-cli -h 127.0.0.1 -p <port> ...args`, stdout trimmed: handy in tests for
 * `MEMORY USAGE`, `SCRIPT LOAD`, `DBSIZE`. Error replies come back as text (`ERR ...`),
 * as redis-cli prints them; only a failure to run or a timeout (10 s) rejects.
 */
export async function redisCommand(port: number, ...args: string[]): Promise<string> {
  return (await runRedisCli(["-h", "127.0.0.1", "-p", String(port), ...args])).trim();
}
