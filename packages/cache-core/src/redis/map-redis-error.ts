import { CrossSlotError, McpPersistError, ScriptError, WrongTypeError } from "../errors";
import { StoreCommandError, StoreUnavailableError } from "./errors";

/**
 * Error replies that mean "the server cannot serve this right now" rather than "this command is
 * wrong": loading, busy with a long script, failing over, read-only replica, cluster down.
 */
const UNAVAILABLE_REPLIES = new Set([
  "LOADING",
  "BUSY",
  "MASTERDOWN",
  "CLUSTERDOWN",
  "TRYAGAIN",
  "READONLY",
  "NOREPLICAS",
  "MISCONF",
]);

/** What went wrong, told by the store that saw it. */
export interface FailedCall {
  /** The npm package reporting it. */
  pkg: string;
  /** `get`, `set`, `delete`, `run`, `ping`. */
  operation: string;
  /** The script's name, for `run`. */
  script?: string;
  /** Whether the client library says the error is a server reply. */
  isReply: boolean;
}

/** Turns a client or server failure into this project's typed errors; ours pass through. */
export function mapRedisError(error: unknown, call: FailedCall): McpPersistError {
  if (error instanceof McpPersistError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error };
  if (!call.isReply) return new StoreUnavailableError(call.pkg, call.operation, message, options);
  const space = message.indexOf(" ");
  const code = space === -1 ? message : message.slice(0, space);
  if (UNAVAILABLE_REPLIES.has(code))
    return new StoreUnavailableError(call.pkg, call.operation, message, options);
  if (call.script !== undefined) {
    if (code === "CROSSSLOT") return new CrossSlotError(call.pkg, call.script, message, options);
    return new ScriptError(call.pkg, call.script, `Redis replied "${message}"`, options);
  }
  if (code === "WRONGTYPE") return new WrongTypeError(call.pkg, call.operation);
  return new StoreCommandError(call.pkg, call.operation, message, options);
}
