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
