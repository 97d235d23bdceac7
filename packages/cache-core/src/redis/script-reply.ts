import { ScriptError } from "../errors";
import type { ScriptReply } from "../script";

/**
 * Brings a client's script reply to the shapes a script's JS body returns (see
 * `runLocalScript`), so a Lua body and its JS twin compare equal on every store: Buffers (a
 * client set to return them) become UTF-8 strings, RESP3 booleans (a script that called
 * `redis.setresp(3)`) become 1 / null as RESP2 gives them.
 */
export function toScriptReply(reply: unknown, pkg: string, script: string): ScriptReply {
  if (reply === null || reply === undefined) return null;
  switch (typeof reply) {
    case "string":
    case "number":
      return reply;
    case "boolean":
      return reply ? 1 : null;
    case "bigint":
      return Number(reply);
  }
  if (Array.isArray(reply)) {
    // Most replies are already strings and numbers (a lock's `["acquired", 42]`): keep the
    // client's array, which nothing else holds, rather than copy it on every call.
    if (reply.every(isPlain)) return reply as ScriptReply;
    return reply.map((item) => toScriptReply(item, pkg, script));
  }
  if (Buffer.isBuffer(reply)) return reply.toString("utf8");
  if (reply instanceof Error) {
    throw new ScriptError(pkg, script, `Redis replied with an error inside the reply: "${reply.message}"`, {
      cause: reply,
    });
  }
  throw new ScriptError(pkg, script, "returned a Redis map or set reply; return arrays, as the JS body must");
}

function isPlain(item: unknown): boolean {
  return typeof item === "string" || typeof item === "number";
}
