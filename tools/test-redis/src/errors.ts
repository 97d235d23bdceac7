/** Stable codes, so a test that expects a harness failure can tell which one it got. */
export type RedisHarnessErrorCode =
  | "REDIS_NOT_INSTALLED"
  | "REDIS_START_FAILED"
  | "REDIS_START_TIMEOUT"
  | "REDIS_PORT_IN_USE"
  | "REDIS_CLUSTER_FAILED"
  | "REDIS_COMMAND_FAILED";

/** Every failure of the harness; the message names the harness and says what to do. */
export class RedisHarnessError extends Error {
  override readonly name = "RedisHarnessError";
  constructor(
    readonly code: RedisHarnessErrorCode,
    message: string,
  ) {
    super(`[@mcp-persist/test-redis] ${message}`);
  }
}

export const NOT_INSTALLED_HINT =
  "is not on PATH. Run `bash tools/test-redis/ensure-redis-server.sh` (pnpm test and .ci/run do): " +
  "it installs Debian's redis-server with apt-get where it may, or prints the command for this machine.";

export function isMissingBinary(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}
