import { replayEventsScript, storeEventScript } from "./event-scripts";
import { sessionReadScript, sessionWriteScript } from "./session-scripts";

/**
 * Every script this package runs (the event store's and the session state's), with its Lua, SHA1
 * and JS twin: to preload them (`SCRIPT LOAD`), to check their hashes, or to run them through a
 * store's conformance kit.
 */
export const mcpScripts = Object.freeze({
  storeEvent: storeEventScript,
  replayEvents: replayEventsScript,
  sessionRead: sessionReadScript,
  sessionWrite: sessionWriteScript,
});
