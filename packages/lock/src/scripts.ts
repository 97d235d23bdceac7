import { acquireScript } from "./acquire.lua";
import { extendScript } from "./extend.lua";
import { lockBatchScript } from "./lock-batch.lua";
import { onceBeginScript } from "./once-begin.lua";
import { onceAbandonScript, onceCommitScript } from "./once-finish.lua";
import { releaseScript } from "./release.lua";

/**
 * Every script this package runs, with its Lua, SHA1 and JS twin: to preload them
 * (`SCRIPT LOAD`), to check their hashes, or to run them through a store's conformance kit.
 */
export const lockScripts = Object.freeze({
  acquire: acquireScript,
  extend: extendScript,
  release: releaseScript,
  onceBegin: onceBeginScript,
  onceCommit: onceCommitScript,
  onceAbandon: onceAbandonScript,
  /** Several `acquire` and `release` calls in one, as they go to Redis when made in one tick. */
  batch: lockBatchScript.many,
});
