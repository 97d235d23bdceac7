// @mcp-persist/test-kit: what the packages' tests share. Private, consumed as source by vitest.

export { clusterStoreKinds } from "./cluster-store-kinds";
export { exportedScripts } from "./exported-scripts";
export { ClockedRedis, kitScripts } from "./parity/clocked-redis";
export { expectParity, type ParityCall, type ParityOptions } from "./parity/expect-parity";
export type { KeyState, Outcome } from "./parity/key-state";
export { cacheScenarios } from "./redis-scenarios/cache-scenarios";
export { clusterScenarios } from "./redis-scenarios/cluster-scenarios";
export { conformanceScenarios } from "./redis-scenarios/conformance-scenarios";
export { exitScenarios } from "./redis-scenarios/exit-scenarios";
export { failFastScenarios } from "./redis-scenarios/fail-fast-scenarios";
export { lateReplyScenarios } from "./redis-scenarios/late-reply-scenarios";
export { optionScenarios } from "./redis-scenarios/option-scenarios";
export {
  type AcrossReconnect,
  incrementAcrossReconnect,
  reconnectScenarios,
} from "./redis-scenarios/reconnect-scenarios";
export {
  codeOf,
  type Node,
  RELAXED,
  type RedisStoreKit,
  type StoreOptions,
} from "./redis-scenarios/redis-store-kit";
export { scriptScenarios } from "./redis-scenarios/script-scenarios";
export {
  closedAfterEach,
  freshPrefix,
  type OpenOptions,
  PATIENT_TIMEOUT_MS,
  redisStoreKinds,
  type StoreKind,
  type StoreKindName,
  storeKinds,
} from "./store-kinds";
export { bundleForNode } from "./support/bundle-for-node";
export { hashTagOf, keySlot } from "./support/hash-slot";
export { type Ended, type NodeProcess, runNode } from "./support/node-process";
export { startTcpProxy, type TcpProxy } from "./support/tcp-proxy";
export { timeSettled, waitFor } from "./support/wait-for";
export { useBundle } from "./use-bundle";
export { useRedis } from "./use-redis";
