import { Batcher } from "./batcher";
import { InvalidOptionError, ScriptError } from "./errors";
import { defineScript, type Script, type ScriptArg, type ScriptReply } from "./script";
import type { RunOptions } from "./store";
import type { StoreCaller } from "./store-caller";

const PKG = "@mcp-persist/cache-core";

/** One script a {@link BatchScript} can run, and how its Lua is called. */
export interface BatchedScript {
  readonly script: Script;
  /** The Lua function doing one call of `script`, defined in the batch's helpers: `fn(KEYS..., ARGV...)`. */
  readonly fn: string;
  /** How many keys and arguments one call takes: fixed, so a batch can be cut back into calls. */
  readonly keys: number;
  readonly args: number;
}

/** One call's outcome in a batch's reply: `[1, its reply]`, or `[0, its error's message]`. */
export type BatchEntry = readonly [1, ScriptReply] | readonly [0, string];

/** Scripts that can be sent together, several calls of any of them in one store call. */
export interface BatchScript {
  /**
   * The one script that runs a batch: per call, in order, `[1, its reply]`, or `[0, message]` for a
   * call that raised an error (that call fails alone, as if it had been sent alone).
   */
  readonly many: Script<readonly BatchEntry[]>;
  readonly scripts: readonly BatchedScript[];
  /** Keys per call in `many`: the most any script takes (a call with fewer repeats its first). */
  readonly keysPerCall: number;
  /** Arguments per call in `many`: which script (1-based), then the most any script takes. */
  readonly argsPerCall: number;
}

/**
 * Defines the script that runs a batch of calls of `scripts`: a loop over the calls, each the
 * Lua function its script runs, so a batch does exactly what its calls would do sent one after
 * another. `helpers` is the Lua defining those functions. Its JS twin loops over the scripts' own.
 */
export function defineBatchScript(
  name: string,
  helpers: string,
  scripts: readonly BatchedScript[],
): BatchScript {
  const keysPerCall = Math.max(...scripts.map((s) => s.keys));
  const argsPerCall = 1 + Math.max(...scripts.map((s) => s.args));
  const branches = scripts.map((s, i) => {
    const params = [
      ...Array.from({ length: s.keys }, (_, j) => `KEYS[k + ${j + 1}]`),
      ...Array.from({ length: s.args }, (_, j) => `ARGV[a + ${j + 2}]`),
    ].join(", ");
    return `${i === 0 ? "if" : "elseif"} op == '${i + 1}' then replies[i + 1] = settle(pcall(${s.fn}, ${params}))`;
  });
  const many = defineScript<readonly BatchEntry[]>({
    name,
    lua: `-- KEYS: ${keysPerCall} per call. ARGV: ${argsPerCall} per call, which script, then its arguments:
-- ${scripts.map((s, i) => `${i + 1} ${s.script.name}`).join(", ")}
-- Returns, per call, {1, its reply}, or {0, the error's message} when it raised one: one call's
-- error fails that call only, as if it had been sent alone.
${helpers}
local function settle(ok, reply)
  if ok then return {1, reply} end
  if type(reply) == 'table' then reply = reply.err end
  return {0, tostring(reply)}
end
local replies = {}
for i = 0, #KEYS / ${keysPerCall} - 1 do
  local k, a = i * ${keysPerCall}, i * ${argsPerCall}
  local op = ARGV[a + 1]
  ${branches.join("\n  ")}
  else replies[i + 1] = {0, 'ERR unknown script ' .. tostring(op)} end
end
return replies
`,
    local(ctx, keys, args) {
      const replies: BatchEntry[] = [];
      for (let k = 0, a = 0; k < keys.length; k += keysPerCall, a += argsPerCall) {
        const s = scripts[Number(args[a]) - 1];
        if (s === undefined) {
          replies.push([0, `ERR unknown script ${args[a]}`]);
          continue;
        }
        try {
          const callKeys = keys.slice(k, k + s.keys);
          replies.push([1, s.script.local(ctx, callKeys, args.slice(a + 1, a + 1 + s.args))]);
        } catch (error) {
          replies.push([0, error instanceof Error ? error.message : String(error)]);
        }
      }
      return replies;
    },
  });
  return Object.freeze({ many, scripts, keysPerCall, argsPerCall });
}

/** One call waiting in a batch; a class, not a literal (README, "Per-call objects"). */
class BatchedCall {
  constructor(
    readonly index: number,
    readonly keys: readonly string[],
    readonly args: readonly ScriptArg[],
    readonly onLateReply: ((reply: ScriptReply) => void) | undefined,
  ) {}
}

/** A batch's `onLateReply`: hands each call its own part of a late reply. */
class LateReplies {
  constructor(readonly calls: readonly BatchedCall[]) {}

  // An arrow: the store calls it on its own, not as a method.
  readonly onLateReply = (entries: readonly BatchEntry[]): void => lateReplies(this.calls, entries);
}

/**
 * Runs the calls of a {@link BatchScript}'s scripts through `caller`. On a store shared with other
 * processes (Redis, not a Cluster: there the keys of one call must share a slot), the calls made
 * in one tick go as one call of `many` (see {@link Batcher}); elsewhere each goes alone.
 *
 * A batch is bounded like any other call by the caller's deadline, and a late reply still reaches
 * each call's `onLateReply`. It fails as one where the calls alone would not: if the store fails it
 * (an error, a timeout, a cut connection), every call in it fails. A capability that takes
 * something in a script must treat such a failure as "may have run" (a lock is given back by
 * token). A script error in one call fails that call only, as alone (`many` runs each under
 * `pcall`).
 */
export class ScriptBatcher {
  readonly #caller: StoreCaller;
  readonly #batch: BatchScript;
  readonly #index: Map<Script, number>;
  readonly #batcher: Batcher<BatchedCall, ScriptReply> | undefined;

  constructor(caller: StoreCaller, batch: BatchScript) {
    this.#caller = caller;
    this.#batch = batch;
    this.#index = new Map(batch.scripts.map((s, i) => [s.script, i]));
    const { shared, cluster } = caller.store.capabilities;
    this.#batcher = shared && !cluster ? new Batcher((calls) => this.#send(calls)) : undefined;
  }

  /** Runs `script` (one of the batch's): with others of this tick where the store allows. */
  run<R extends ScriptReply>(
    script: Script<R>,
    keys: readonly string[],
    args: readonly ScriptArg[],
    options?: RunOptions<R>,
  ): Promise<R> {
    const index = this.#index.get(script);
    if (this.#batcher === undefined || index === undefined)
      return this.#caller.run(script, keys, args, options);
    const shape = this.#batch.scripts[index] as BatchedScript;
    if (keys.length !== shape.keys || args.length !== shape.args) {
      // Cut or padded to fit the batch, the call would run differently than alone.
      const why = `script "${script.name}" takes ${shape.keys} keys and ${shape.args} arguments in a batch, got ${keys.length} and ${args.length}`;
      return Promise.reject(new InvalidOptionError(PKG, why));
    }
    const onLateReply = options?.onLateReply as ((reply: ScriptReply) => void) | undefined;
    return this.#batcher.run(new BatchedCall(index, keys, args, onLateReply)) as Promise<R>;
  }

  #send(calls: readonly BatchedCall[]): Promise<readonly (ScriptReply | Promise<ScriptReply>)[]> {
    const { many, scripts, keysPerCall, argsPerCall } = this.#batch;
    if (calls.length === 1) {
      // Alone, as itself: the same script, and reply, as on a store that does not batch.
      const [call] = calls as [BatchedCall];
      const options = call.onLateReply === undefined ? undefined : { onLateReply: call.onLateReply };
      return this.#caller
        .run((scripts[call.index] as BatchedScript).script, call.keys, call.args, options)
        .then(wrapOne);
    }
    // Sized up front and filled, not literals pushed to: they live until the reply (README, "Per-call objects").
    const keys = new Array<string>(calls.length * keysPerCall);
    const args = new Array<ScriptArg>(calls.length * argsPerCall);
    let late = false;
    let k = 0;
    let a = 0;
    for (const call of calls) {
      for (let j = 0; j < keysPerCall; j++) keys[k++] = call.keys[j] ?? (call.keys[0] as string);
      args[a++] = call.index + 1;
      for (let j = 0; j < argsPerCall - 1; j++) args[a++] = call.args[j] ?? "";
      late ||= call.onLateReply !== undefined;
    }
    const options = late ? new LateReplies(calls) : undefined;
    return this.#caller.run(many, keys, args, options).then((entries) => settleEach(calls, scripts, entries));
  }
}

function wrapOne(reply: ScriptReply): readonly ScriptReply[] {
  return [reply];
}

/** Each call's reply, or, for a call that raised an error, a rejection of its own (a `ScriptError`, as a lone call gets). */
function settleEach(
  calls: readonly BatchedCall[],
  scripts: readonly BatchedScript[],
  entries: readonly BatchEntry[],
): (ScriptReply | Promise<ScriptReply>)[] {
  return calls.map((call, i) => {
    const entry = entries[i];
    if (entry?.[0] === 1) return entry[1] ?? null;
    const name = (scripts[call.index] as BatchedScript).script.name;
    const why = `Redis replied "${entry?.[1] ?? "nothing"}" (one call of a batch)`;
    return Promise.reject(new ScriptError(PKG, name, why));
  });
}

/** A batch's late reply, to each call's `onLateReply` (a call that raised an error has no reply); what one throws is dropped, as a store drops it. */
function lateReplies(calls: readonly BatchedCall[], entries: readonly BatchEntry[]): void {
  calls.forEach((call, i) => {
    const entry = entries[i];
    if (entry?.[0] !== 1) return;
    try {
      call.onLateReply?.(entry[1] ?? null);
    } catch {
      // dropped
    }
  });
}
