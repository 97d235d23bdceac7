// Compiled (never run) by `pnpm typecheck`: the error classes' `Symbol.hasInstance` (which makes
// `instanceof` hold across the ESM and CJS builds) must keep `instanceof` narrowing for callers.
import { McpPersistError, StoreTimeoutError } from "@mcp-persist/cache-core";
import { HealthError } from "@mcp-persist/health";
import { KeyError, type KeyErrorCode } from "@mcp-persist/keys";
import { LockLostError } from "@mcp-persist/lock";
import { ShutdownError, type ShutdownErrorCode } from "@mcp-persist/shutdown";

export function describeFailure(error: unknown): string {
  if (error instanceof StoreTimeoutError) return `${error.code} from ${error.package}`;
  if (error instanceof LockLostError) return error.message;
  if (error instanceof McpPersistError) return error.code;
  if (error instanceof KeyError) {
    const code: KeyErrorCode = error.code;
    return `${code} at ${error.path.join(".")}`;
  }
  if (error instanceof HealthError) return error.code;
  if (error instanceof ShutdownError) {
    const code: ShutdownErrorCode = error.code;
    return code;
  }
  return String(error);
}
