/** Why a key could not be built. Stable: match on `code`, never on the message. */
export type KeyErrorCode =
  | "KEY_CYCLE"
  | "KEY_UNSUPPORTED_TYPE"
  | "KEY_TOO_LARGE"
  | "KEY_TOO_DEEP"
  | "KEY_INVALID_SEGMENT"
  | "KEY_INVALID_SCOPE"
  | "KEY_INVALID_OPTION";

/**
 * Thrown for input that cannot become a key: cyclic or non-serialisable arguments, oversized
 * values, bad segments or options. Bad input is a caller bug, so it is reported at the boundary
 * instead of producing a key that could collide with another call's.
 */
export class KeyError extends Error {
  override readonly name = "KeyError";
  readonly code: KeyErrorCode;
  /** Where in the value the problem is, e.g. `["filters", 2]`; empty for the value itself. */
  readonly path: readonly (string | number)[];

  constructor(code: KeyErrorCode, message: string, path: readonly (string | number)[] = []) {
    super(`[@mcp-persist/keys] ${message}`);
    this.code = code;
    this.path = path;
  }
}

/** Renders a value path the way a developer would write it: `args.filters[2].name`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "args";
  for (const step of path) {
    out +=
      typeof step === "number"
        ? `[${step}]`
        : /^[A-Za-z_$][\w$]*$/.test(step)
          ? `.${step}`
          : `[${JSON.stringify(step)}]`;
  }
  return out;
}
