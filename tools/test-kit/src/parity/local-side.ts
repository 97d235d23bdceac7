import type { Clock, Script, ScriptArg, Store } from "@mcp-persist/cache-core";
import { createLocalStore, memoryKeyspace } from "@mcp-persist/cache-core/kit";
import { type KeyState, localKeyState, type Outcome } from "./key-state";

/**
 * The JS bodies' side of a parity check: an in-process store on cache-core's reference keyspace
 * (the one every in-process store builds on), on `clock`, whose keys can be read back with TTLs.
 */
export function localSide(clock: Clock): {
  store: Store;
  call(script: Script, keys: readonly string[], args: readonly ScriptArg[]): Promise<Outcome>;
} {
  const keyspace = memoryKeyspace(clock);
  const store = createLocalStore({ name: "reference", package: "@mcp-persist/test-kit", keyspace, clock });
  const states = (keys: readonly string[]) => {
    const out: Record<string, KeyState> = {};
    for (const key of keys) out[key] = localKeyState(keyspace.read(key), keyspace.remainingTtl(key));
    return out;
  };
  return {
    store,
    async call(script, keys, args) {
      try {
        const reply = await store.run(script, keys, args);
        return { reply, keys: states(keys) };
      } catch {
        return { failed: true, keys: states(keys) };
      }
    },
  };
}
