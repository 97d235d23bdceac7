import { describe } from "./describe";

// How every package reads its options, apart from durations (`timer-ms.ts`): the default applies
// only to an option left out, and a switch is a boolean, with one message for all packages.

/**
 * An option's value, or its default when it is left out. Only `undefined` is "left out": `null`
 * is a value like any other, and is checked (and refused) as one.
 */
export function given<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/**
 * The check of a switch: `true` or `false`, nothing merely truthy (a typo must not turn a safety
 * off or on). It returns the value or throws the error `invalid` makes of the message, naming the
 * option: the package's own `InvalidOptionError`, e.g.
 * `booleanCheck((message) => new InvalidOptionError(PKG, message))`.
 *
 * @param show - renders the value got, never throwing: `describe`, or `describeValue` from
 *   `@mcp-persist/keys` in the packages that print every other value with it
 */
export function booleanCheck(
  invalid: (message: string) => Error,
  show: (value: unknown) => string = describe,
): (option: string, value: unknown) => boolean {
  return (option, value) => {
    if (typeof value !== "boolean") throw invalid(`${option} must be true or false, got ${show(value)}`);
    return value;
  };
}

/**
 * Every option name of `T`, from a record the type checker holds complete: an option added to
 * `T` and left out here, or one listed here that `T` does not have, is a type error. Name `T`:
 * `optionNames<LockOptions>({ ttlMs: true, … })`.
 */
export function optionNames<T>(names: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(names);
}

/**
 * The check that an options object names only known options: a misspelt one (`{ ttl: 5000 }`)
 * would otherwise fall back to its default without a word, which for a lock's TTL or a rate limit
 * is a safety lost. It throws the error `invalid` makes of the message, as {@link booleanCheck}:
 * `unknown option "ttl"; the options are ttlMs, waitMs, … (did you mean "ttlMs"?)`, the hint when
 * one known name is close. `where`, when given, starts the message (`checks[0]: unknown option …`).
 * Cheap enough for a per-call options object: one `for...in` over its keys, nothing allocated
 * unless a name is unknown. Keep deprecated names that are still honoured in `names`.
 */
export function knownOptions(
  invalid: (message: string) => Error,
  names: readonly string[],
): (options: object, where?: string) => void {
  const known: ReadonlySet<string> = new Set(names);
  return (options, where) => {
    for (const name in options) {
      if (!known.has(name)) throw invalid(unknownOption(name, names, where));
    }
  };
}

function unknownOption(name: string, names: readonly string[], where: string | undefined): string {
  const close = closeName(name, names);
  const hint = close === undefined ? "" : ` (did you mean ${describe(close)}?)`;
  const at = where === undefined ? "" : `${where}: `;
  return `${at}unknown option ${describe(name)}; the options are ${names.join(", ")}${hint}`;
}

/** The one known name equal to `name` but for case, else the one that starts with it (`ttl` → `ttlMs`). */
function closeName(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const equal = names.filter((known) => known.toLowerCase() === lower);
  if (equal.length === 1) return equal[0];
  if (lower.length === 0) return undefined;
  const longer = names.filter((known) => known.toLowerCase().startsWith(lower));
  return longer.length === 1 ? longer[0] : undefined;
}
