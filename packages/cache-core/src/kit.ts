// `@mcp-persist/cache-core/kit`: what authors of stores and capabilities build with. An
// application never needs it: the main entry holds what an application calls.
export {
  booleanCheck,
  given,
  knownOptions,
  MAX_TIMER_MS,
  optionNames,
  warnDeprecated,
} from "@mcp-persist/internal";
export { describeValue } from "@mcp-persist/keys";
export {
  type BatchEntry,
  type BatchedScript,
  type BatchScript,
  defineBatchScript,
  ScriptBatcher,
} from "./batch-script";
export { Batcher, type SendBatch } from "./batcher";
export { REMEMBERED_CALLERS, rememberBounded } from "./bounded-map";
export { assertClock, assertLogger, assertStore, isStore } from "./check-contract";
export { clusterSlot } from "./cluster-slot";
export { withDeadline } from "./deadline";
export { assertDurationMs } from "./duration";
export { createLocalContext, runLocalScript } from "./keyspace-context";
export { LinkedList, ListNode } from "./linked-list";
export type { LocalContext, LocalKeyspace, LocalValue } from "./local-context";
export { createLocalStore, type LocalStoreParts } from "./local-store";
export { memoryKeyspace } from "./memory-keyspace";
export { defineScript, type ScriptDefinition } from "./script";
export {
  DEFAULT_STORE_TIMEOUT_MS,
  type StoreCaller,
  type StoreCallerOptions,
  storeCaller,
} from "./store-caller";
export { STORE_OUTAGE_POLICIES } from "./store-outage";
export { ThrottledWarnings, WARN_EVERY_MS } from "./throttled-warning";
export { assertTtlMs } from "./ttl";
export { checkSignal } from "./until-aborted";
