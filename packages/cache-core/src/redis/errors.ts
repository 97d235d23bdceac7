import { McpPersistError, StoreTimeoutError } from "../errors";

/**
 * The store could not reach Redis: not connected, connection lost, or a script not re-sent after
 * a reconnect. Nothing was stored; retrying later may work. Code `ERR_STORE_UNAVAILABLE`.
 */
export class StoreUnavailableError extends McpPersistError {
  constructor(pkg: string, operation: string, reason: string, options?: ErrorOptions) {
    super(
      "ERR_STORE_UNAVAILABLE",
      pkg,
      `${operation}() could not reach Redis: ${reason}. Check that Redis is up and reachable; calls succeed again once the client reconnects`,
      options,
    );
  }
}

/**
 * Redis answered a GET, SET, DEL or PING with an error (NOAUTH, NOPERM, OOM…): the server is up
 * but refuses the command. Code `ERR_STORE_COMMAND`.
 */
export class StoreCommandError extends McpPersistError {
  constructor(pkg: string, operation: string, reply: string, options?: ErrorOptions) {
    super(
      "ERR_STORE_COMMAND",
      pkg,
      `${operation}() was refused by Redis: "${reply}". Fix the server or client configuration it names (credentials, ACLs, maxmemory)`,
      options,
    );
  }
}

/**
 * A Redis store call that got no answer within the store's `timeoutMs` (Redis down, frozen or
 * overloaded). It is a {@link StoreTimeoutError} (code `ERR_STORE_TIMEOUT`) whose message names the
 * store's own option: the call was abandoned, and a script in it is never sent late.
 */
export class RedisTimeoutError extends StoreTimeoutError {
  constructor(pkg: string, operation: string, timeoutMs: number) {
    super(pkg, operation, timeoutMs);
    this.message = `[${pkg}] ${operation}() got no answer from Redis within ${timeoutMs} ms (the store's timeoutMs), so it was abandoned; Redis is down, frozen or overloaded — raise timeoutMs only if it is slow but healthy`;
  }
}
