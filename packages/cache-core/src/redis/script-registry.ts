import type { Script } from "../script";
import type { RedisClientAdapter, ScriptCall } from "./client-adapter";

/**
 * The scripts this store has seen the server accept, by SHA1. A script not in it goes out as EVAL
 * (the server caches its body as a side effect); after that, as EVALSHA, which sends 40 bytes
 * instead of the whole body. One registry per store, on the store's client: stores on different servers do not share it.
 */
export class ScriptRegistry {
  readonly #adapter: RedisClientAdapter<unknown>;
  readonly #loaded = new Set<string>();

  constructor(adapter: RedisClientAdapter<unknown>) {
    this.#adapter = adapter;
  }

  run(script: Script, keys: readonly string[], args: readonly string[], call: ScriptCall): Promise<unknown> {
    if (!this.#loaded.has(script.sha1)) return this.#eval(script, keys, args, call);
    // No async function on this path, which is every script call but a store's first of each
    // script: the client's promise, with a handler for the one failure that is retried.
    return this.#adapter
      .evalScript("evalsha", script.sha1, keys, args, call)
      .then(undefined, (error: unknown) => {
        if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
        // The server lost its script cache (SCRIPT FLUSH, restart, failover), or this Cluster node
        // never ran the script. NOSCRIPT means it did not run, so sending the body is safe.
        this.#loaded.delete(script.sha1);
        return this.#eval(script, keys, args, call);
      });
  }

  async #eval(
    script: Script,
    keys: readonly string[],
    args: readonly string[],
    call: ScriptCall,
  ): Promise<unknown> {
    const reply = await this.#adapter.evalScript("eval", script.lua, keys, args, call);
    this.#loaded.add(script.sha1);
    return reply;
  }
}
