import { errorFamily, PackageError } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";

/**
 * The errors of cache-core and of the packages built on it (the stores, ratelimit, lock): a
 * stable `code` to branch on, and a message that names the package that raised it and says what
 * to do. `error instanceof StoreTimeoutError` also holds across copies of this package (its ESM
 * and CommonJS builds loaded side by side, or two installs); unrelated classes never match.
 */
export class McpPersistError extends PackageError {
  static {
    errorFamily(this, "@mcp-persist/cache-core/McpPersistError");
  }
}

/** A TTL that is not a positive, finite number of milliseconds. Code `ERR_INVALID_TTL`. */
export class InvalidTtlError extends McpPersistError {
  /** The option as the message names it, e.g. `ttlMs` or `tools.search.ttlMs`. */
  readonly option: string;
  /** The value refused. */
  readonly value: unknown;

  constructor(pkg: string, name: string, value: unknown, options?: ErrorOptions) {
    super(
      "ERR_INVALID_TTL",
      pkg,
      `${name} must be a positive finite number of milliseconds, got ${describeValue(value)}`,
      options,
    );
    this.option = name;
    this.value = value;
  }
}

/** An option outside its documented range. Code `ERR_INVALID_OPTION`. */
export class InvalidOptionError extends McpPersistError {
  constructor(pkg: string, message: string, options?: ErrorOptions) {
    super("ERR_INVALID_OPTION", pkg, message, options);
  }
}

/** An operation on a store after `close()`. Code `ERR_STORE_CLOSED`. */
export class StoreClosedError extends McpPersistError {
  constructor(pkg: string, storeName: string, operation: string) {
    super(
      "ERR_STORE_CLOSED",
      pkg,
      `store "${storeName}" is closed, so ${operation}() cannot run; create a new store instead of reusing a closed one`,
    );
  }
}

/**
 * A store call that did not settle within the `storeTimeoutMs` of the capability that made it (or
 * a Redis store's own `timeoutMs`). Code `ERR_STORE_TIMEOUT`.
 */
export class StoreTimeoutError extends McpPersistError {
  /** @param consequence what the caller did instead; the default is the cache's fall-through. */
  constructor(
    pkg: string,
    operation: string,
    timeoutMs: number,
    consequence = "the call went on without the cache (raise storeTimeoutMs if the store is slow but healthy)",
  ) {
    super(
      "ERR_STORE_TIMEOUT",
      pkg,
      // `operation` is a method ("get") or a script call ("run(lock-acquire)"), which names itself.
      `store ${operation.includes("(") ? operation : `${operation}()`} did not answer within ${timeoutMs} ms; ${consequence}`,
    );
  }
}

/**
 * A script failed the way a Redis script would (a wrong value type, a counter that is not an
 * integer, a reply that Redis cannot represent). Code `ERR_SCRIPT`.
 */
export class ScriptError extends McpPersistError {
  constructor(pkg: string, script: string, message: string, options?: ErrorOptions) {
    super("ERR_SCRIPT", pkg, `script "${script}": ${message}`, options);
  }
}

/**
 * `get()` on a key that holds a script's structured value (Redis: WRONGTYPE). Scripts own their
 * keys; keep cache keys and script keys apart. Code `ERR_WRONG_TYPE`.
 */
export class WrongTypeError extends McpPersistError {
  constructor(pkg: string, operation: string) {
    super(
      "ERR_WRONG_TYPE",
      pkg,
      `${operation}() found a script's structured value under this key, not a string; use separate keys for scripts`,
    );
  }
}

/**
 * A script call whose keys hash to different Redis Cluster slots (Redis: CROSSSLOT). Every key of
 * one script call must live in one slot: give them a common hash tag, e.g. `{user:42}`. Only a
 * store whose `capabilities.cluster` is true raises it. Code `ERR_CROSS_SLOT`.
 */
export class CrossSlotError extends McpPersistError {
  constructor(pkg: string, script: string, reply: string, options?: ErrorOptions) {
    super(
      "ERR_CROSS_SLOT",
      pkg,
      `script "${script}": Redis replied "${reply}": every key of one script call must hash to one Cluster slot; give them a common hash tag, e.g. {user:42}`,
      options,
    );
  }
}

/** A value the cache codec cannot encode or a stored text it cannot decode. Code `ERR_CODEC`. */
export class CodecError extends McpPersistError {
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_CODEC", "@mcp-persist/cache-core", message, options);
  }
}

/**
 * A feature the store declares it does not have. Code `ERR_UNSUPPORTED`.
 * @deprecated nothing raises it any more: every store runs scripts, so `invalidateTool`,
 * `invalidateScope` and `invalidateAll` work on every store. Removed in the next major.
 */
export class UnsupportedError extends McpPersistError {
  constructor(pkg: string, message: string) {
    super("ERR_UNSUPPORTED", pkg, message);
  }
}
