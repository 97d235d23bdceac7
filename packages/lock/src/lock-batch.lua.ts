import { defineBatchScript } from "@mcp-persist/cache-core/kit";
import { ACQUIRE_LUA, acquireScript } from "./acquire.lua";
import { RELEASE_LUA, releaseScript } from "./release.lua";

/**
 * The two calls every `withLock` makes, acquire and release, batched: on Redis, those made in one
 * tick go as one script call (see `ScriptBatcher`), each as its own script would do it.
 */
export const lockBatchScript = defineBatchScript("lock-batch", `${ACQUIRE_LUA}${RELEASE_LUA}`, [
  { script: acquireScript, fn: "acquire", keys: 2, args: 3 },
  { script: releaseScript, fn: "release", keys: 1, args: 1 },
]);
