import type { Clock, Script, ScriptArg, ScriptReply, Store } from "@mcp-persist/cache-core";
import { defineScript } from "@mcp-persist/cache-core/kit";
import { clockedLua } from "./clocked-lua";
import { type KeyState, type Outcome, redisKeyState } from "./key-state";

type ClockedReply = [[0] | [1, ScriptReply], number[], ScriptReply[][]];

/**
 * A Redis store whose scripts read time from `clock` instead of the server's TIME, with key
 * expiry following `clock` as well (see `clockedLua`). `call` reports each call's reply and the
 * state of its keys; `store` is the same thing as a {@link Store}, for capabilities under test.
 * Keys it writes carry no real TTL: `clear()` deletes every key it has touched.
 */
export class ClockedRedis {
  readonly #variants = new Map<Script, Script<ClockedReply>>();
  /** Per key, its expiry in injected ms, or -1 for none; missing keys are absent. */
  readonly #expiries = new Map<string, number>();

  constructor(
    readonly redis: Store,
    readonly clock: Clock,
  ) {}

  /** Runs `script` at the clock's time, keeping expiries in that time. */
  async call(script: Script, keys: readonly string[], args: readonly ScriptArg[]): Promise<Outcome> {
    const now = Math.floor(this.clock.now());
    const sent = [...args, now, ...keys.map((key) => this.#expiries.get(key) ?? -1), args.length];
    let reply: ClockedReply;
    try {
      reply = await this.redis.run(this.#variant(script), keys, sent);
    } catch {
      // What the body wrote before failing is unknown: forget these keys' expiries.
      for (const key of keys) this.#expiries.delete(key);
      return { failed: true, keys: {} };
    }
    const [wrapped, expiries, states] = reply;
    const out: Record<string, KeyState> = {};
    keys.forEach((key, i) => {
      const expiry = expiries[i] as number;
      if (expiry === -2) this.#expiries.delete(key);
      else this.#expiries.set(key, expiry);
      out[key] = redisKeyState(states[i] ?? [], expiry, now);
    });
    return wrapped[0] === 1 ? { reply: wrapped[1], keys: out } : { reply: null, keys: out };
  }

  /** The same calls as a {@link Store}; get, set and delete go through scripts, so expiry stays in clock time. */
  get store(): Store {
    const reply = async (script: Script, keys: readonly string[], args: readonly ScriptArg[]) => {
      const outcome = await this.call(script, keys, args);
      if ("failed" in outcome)
        throw new Error(`[@mcp-persist/test-kit] ${script.name} failed on ${this.redis.name}`);
      return outcome.reply;
    };
    return {
      name: `${this.redis.name}+clock`,
      capabilities: this.redis.capabilities,
      get: async (key) => ((await reply(getScript, [key], [])) ?? undefined) as string | undefined,
      set: async (key, value, ttlMs) => {
        await reply(setScript, [key], [value, ttlMs]);
      },
      delete: async (key) => (await reply(deleteScript, [key], [])) === 1,
      run: (script, keys, args) => reply(script, keys, args) as never,
      ping: () => this.redis.ping(),
      close: () => this.redis.close(),
    };
  }

  /** Deletes every key a call has touched (they carry no real TTL). */
  async clear(): Promise<void> {
    const keys = [...this.#expiries.keys()];
    this.#expiries.clear();
    for (const key of keys) await this.redis.delete(key);
  }

  #variant(script: Script): Script<ClockedReply> {
    let variant = this.#variants.get(script);
    if (variant === undefined) {
      variant = defineScript<ClockedReply>({
        name: `${script.name}+clock`,
        lua: clockedLua(script.lua),
        local: () => {
          throw new Error("[@mcp-persist/test-kit] a clocked variant runs on Redis only");
        },
      });
      this.#variants.set(script, variant);
    }
    return variant;
  }
}

const getScript = defineScript<string | null>({
  name: "kit-get",
  lua: "-- KEYS[1]: the key\nreturn redis.call('GET', KEYS[1])\n",
  local: (ctx, [key = ""]) => ctx.get(key) ?? null,
});

const setScript = defineScript<number>({
  name: "kit-set",
  lua: "-- KEYS[1]: the key; ARGV[1]: the value; ARGV[2]: TTL, ms\nredis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])\nreturn 1\n",
  local(ctx, [key = ""], [value = "", ttl = ""]) {
    ctx.set(key, value, Number(ttl));
    return 1;
  },
});

const deleteScript = defineScript<number>({
  name: "kit-delete",
  lua: "-- KEYS[1]: the key\nreturn redis.call('DEL', KEYS[1])\n",
  local: (ctx, [key = ""]) => (ctx.delete(key) ? 1 : 0),
});

/** The scripts behind `ClockedRedis.store`'s get, set and delete, so a parity sequence can use them too. */
export const kitScripts = { get: getScript, set: setScript, delete: deleteScript };
