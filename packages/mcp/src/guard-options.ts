import {
  assertDurationMs,
  assertLogger,
  assertTtlMs,
  describeValue,
  STORE_OUTAGE_POLICIES,
} from "@mcp-persist/cache-core/kit";
import { invalidOption, PKG } from "./errors";

// `withLock` and `once` check their options only when called: a typo in a tool's `lock` or `once`
// would then fail every call of the tool (the model reading the error), or, for a misspelt name,
// be silently ignored. The declaration checks them at registration instead, as `withLock` would.

/** What `lock` takes besides its own fields (`resource`, `busyMessage`): `withLock`'s options. */
const LOCK_OPTIONS = [
  "ttlMs",
  "waitMs",
  "retryBaseMs",
  "retryMaxMs",
  "onStoreDown",
  "storeTimeoutMs",
  "namespace",
  "logger",
];

/** The fields of each policy: its own, then the options it hands to `withLock` / `once`. */
const FIELDS = {
  lock: new Set(["resource", "busyMessage", ...LOCK_OPTIONS]),
  once: new Set(["key", "busyMessage", ...LOCK_OPTIONS, "resultTtlMs", "codec"]),
};

/** Options `withLock` / `once` take that a declaration must not give, and why. */
const NOT_HERE: Record<string, string> = {
  signal: "the request's signal is passed for every call",
  onStoreError: 'it is deprecated: use onStoreDown ("refuse" or "proceed")',
};

/**
 * Checks the options a `lock` or `once` policy hands to `withLock` / `once`, as they would on
 * every call: a misspelt name, or a value they would refuse, throws now.
 * @throws {InvalidOptionError} naming the tool and the option; {@link InvalidTtlError} for a
 * `ttlMs` or `resultTtlMs` that is not a positive number of milliseconds, as `withLock` does.
 */
export function checkGuardOptions(tool: string, kind: "lock" | "once", policy: object): void {
  const at = `${tool}: ${kind}`;
  for (const name of Object.keys(policy)) {
    if (name in NOT_HERE) throw invalidOption(`${at}.${name} cannot be given here: ${NOT_HERE[name]}`);
    if (!FIELDS[kind].has(name)) {
      throw invalidOption(
        `${at} has no option ${JSON.stringify(name)}; it takes ${[...FIELDS[kind]].join(", ")}`,
      );
    }
  }
  const options = policy as Record<string, unknown>;
  const given = (name: string) => options[name] !== undefined;
  for (const name of ["ttlMs", "resultTtlMs"]) {
    if (!given(name)) continue;
    assertTtlMs(options[name], PKG, `${at}.${name}`);
    // The lease is renewed by timers: a TTL a timer cannot hold is refused as a duration.
    if (name === "ttlMs") assertDurationMs(options[name], PKG, `${at}.${name}`);
  }
  if (given("waitMs")) assertDurationMs(options.waitMs, PKG, `${at}.waitMs`, true);
  for (const name of ["retryBaseMs", "retryMaxMs", "storeTimeoutMs"]) {
    if (given(name)) assertDurationMs(options[name], PKG, `${at}.${name}`);
  }
  const { onStoreDown, namespace, logger, codec } = options;
  if (given("onStoreDown") && !STORE_OUTAGE_POLICIES.includes(onStoreDown as never)) {
    throw invalidOption(`${at}.onStoreDown must be "refuse" or "proceed", got ${describeValue(onStoreDown)}`);
  }
  if (given("namespace") && (typeof namespace !== "string" || namespace === "")) {
    throw invalidOption(`${at}.namespace must be a non-empty string, got ${describeValue(namespace)}`);
  }
  if (given("logger")) assertLogger(logger, PKG, `${at}.logger`);
  if (given("codec")) {
    const { encode, decode } = (codec ?? {}) as Record<string, unknown>;
    if (typeof encode !== "function" || typeof decode !== "function") {
      throw invalidOption(`${at}.codec must have encode and decode methods, got ${describeValue(codec)}`);
    }
  }
}
