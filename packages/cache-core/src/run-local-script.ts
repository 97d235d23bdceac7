import { describeValue } from "@mcp-persist/keys";
import { ScriptError } from "./errors";
import { LocalCommandError, type LocalContext } from "./local-context";
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
  const argv = args.map(String);
  let result: unknown;
  try {
    result = script.local(ctx, keys, argv);
  } catch (error) {
    throw new ScriptError(PKG, script.name, failure(error), { cause: error });
  }
  return toReply(result, script.name) as R;
}

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
      if (Array.isArray(value)) return value.map((item) => toReply(item, name));
      if (typeof (value as { then?: unknown }).then === "function") {
        throw new ScriptError(PKG, name, "JS body returned a promise; it must be synchronous to stay atomic");
      }
      throw new ScriptError(PKG, name, `returned a ${typeof value} that is not a Redis reply (use arrays)`);
  }
}
