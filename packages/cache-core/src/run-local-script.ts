import { describeValue } from "@mcp-persist/keys";
import { ScriptError } from "./errors";
import { LocalCommandError, type LocalContext, RUN_SCRIPT, type ScriptRunningContext } from "./local-context";
import type { Script, ScriptArg, ScriptReply } from "./script";

const PKG = "@mcp-persist/cache-core";

/**
 * Runs a script's JS body the way a Redis server runs its Lua body: arguments become strings,
 * the reply is converted to Redis reply shapes (integers truncated, `true` → 1, `false` and
 * `undefined` → `null`), and any failure becomes a {@link ScriptError}. The body runs
 * synchronously, so nothing else touches the keyspace meanwhile: that is the atomicity.
 */
export function runLocalScript<R extends ScriptReply>(
  script: Script<R>,
  ctx: LocalContext,
  keys: readonly string[],
  args: readonly ScriptArg[],
): R {
  const argv = strings(args);
  const run = (ctx as Partial<ScriptRunningContext>)[RUN_SCRIPT];
  let result: unknown;
  try {
    result = run === undefined ? script.local(ctx, keys, argv) : run.call(ctx, script.local, keys, argv);
  } catch (error) {
    throw new ScriptError(PKG, script.name, failure(error), { cause: error });
  }
  return toReply(result, script.name) as R;
}

/**
 * ARGV as the body sees it: every argument a string. Arguments that are strings already (a caller
 * that keeps its ARGV converted, as the rate limiter does) are passed as they are, with no copy:
 * the body takes them read-only.
 */
function strings(args: readonly ScriptArg[]): readonly string[] {
  if (args === lastStrings) return args as readonly string[];
  for (let i = 0; i < args.length; i++) {
    if (typeof args[i] !== "string") return args.map(String);
  }
  if (Object.isFrozen(args)) lastStrings = args;
  return args as readonly string[];
}

/**
 * The last frozen ARGV found to hold only strings: a caller that passes the same frozen array on
 * every call (the rate limiter's checks costing 1) is not checked again. Frozen, so it cannot
 * have changed since.
 */
let lastStrings: readonly ScriptArg[] | undefined;

/** What went wrong in a JS body; anything may be thrown, even a Proxy that fails `instanceof`. */
function failure(error: unknown): string {
  try {
    if (error instanceof LocalCommandError) return error.message;
  } catch {
    // `instanceof` itself threw (a Proxy's getPrototypeOf trap): describe it like any value.
  }
  return `JS body threw ${describeValue(error)}`;
}

function toReply(value: unknown, name: string): ScriptReply {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value))
        throw new ScriptError(PKG, name, `returned ${value}, which Redis cannot reply`);
      return Math.trunc(value) || 0;
    case "boolean":
      return value ? 1 : null;
    case "undefined":
      return null;
    default:
      if (value === null) return null;
      if (Array.isArray(value)) {
        // A reply of integers only (a rate-limit check's, on every in-process check) is already
        // its Redis shape: returned as it is, with no copy.
        if (integersOnly(value)) return value;
        // A loop, not map(): no callback per item.
        const reply: ScriptReply[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined && !(i in value)) continue; // a hole stays a hole, as map() left it
          // An integer is its own reply (`+ 0` turns -0 into 0, as Math.trunc(-0) || 0 does).
          reply[i] = typeof item === "number" && Number.isSafeInteger(item) ? item + 0 : toReply(item, name);
        }
        return reply;
      }
      if (typeof (value as { then?: unknown }).then === "function") {
        throw new ScriptError(PKG, name, "JS body returned a promise; it must be synchronous to stay atomic");
      }
      throw new ScriptError(PKG, name, `returned a ${typeof value} that is not a Redis reply (use arrays)`);
  }
}

/** Whether every item is an integer Redis would reply as is: safe, and not -0 (a hole is not a number). */
function integersOnly(value: readonly unknown[]): boolean {
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item !== "number" || !Number.isSafeInteger(item) || Object.is(item, -0)) return false;
  }
  return true;
}
