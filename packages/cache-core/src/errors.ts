/**
 * Every error this project raises on purpose: a stable `code` to branch on, and a message that
 * names the package that raised it and says what to do.
 */
export class McpPersistError extends Error {
  /** Stable, documented identifier, e.g. `ERR_INVALID_TTL`. */
  readonly code: string;
  /** The npm package that raised the error, e.g. `@mcp-persist/store-lru`. */
  readonly package: string;

  constructor(code: string, pkg: string, message: string, options?: ErrorOptions) {
    super(`[${pkg}] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
    this.package = pkg;
  }
}

/** A TTL that is not a positive, finite number of milliseconds. Code `ERR_INVALID_TTL`. */
export class InvalidTtlError extends McpPersistError {
  constructor(pkg: string, name: string, value: unknown) {
    super(
      "ERR_INVALID_TTL",
      pkg,
      `${name} must be a positive finite number of milliseconds, got ${describe(value)}`,
    );
  }
}

/** An option outside its documented range. Code `ERR_INVALID_OPTION`. */
export class InvalidOptionError extends McpPersistError {
  constructor(pkg: string, message: string) {
    super("ERR_INVALID_OPTION", pkg, message);
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

/** A store call that did not settle within the cache's `opTimeoutMs`. Code `ERR_STORE_TIMEOUT`. */
export class StoreTimeoutError extends McpPersistError {
  /** @param consequence what the caller did instead; the default is the cache's fall-through. */
  constructor(
    pkg: string,
    operation: string,
    timeoutMs: number,
    consequence = "the call went on without the cache (raise opTimeoutMs if the store is slow but healthy)",
  ) {
    super(
      "ERR_STORE_TIMEOUT",
      pkg,
      `store ${operation}() did not answer within ${timeoutMs} ms; ${consequence}`,
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

/** A value the cache codec cannot encode or a stored text it cannot decode. Code `ERR_CODEC`. */
export class CodecError extends McpPersistError {
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_CODEC", "@mcp-persist/cache-core", message, options);
  }
}

/** A feature the store declares it does not have (see `Store.capabilities`). Code `ERR_UNSUPPORTED`. */
export class UnsupportedError extends McpPersistError {
  constructor(pkg: string, message: string) {
    super("ERR_UNSUPPORTED", pkg, message);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  return String(value);
}
