// The one total printer for error messages, from @mcp-persist/keys: stores and capabilities that
// depend on cache-core alone print values with it too.
export { describeValue } from "@mcp-persist/keys";
export { type Cache, createCache } from "./cache";
export type { CacheKey, ToolCall } from "./cache-key";
export { type CacheOptions, isErrorResult, type ToolPolicy, type WrapOptions } from "./cache-options";
export { type Clock, systemClock } from "./clock";
export { type Codec, defaultCodec } from "./codec";
export { withDeadline } from "./deadline";
export {
  CodecError,
  InvalidOptionError,
  InvalidTtlError,
  McpPersistError,
  ScriptError,
  StoreClosedError,
  StoreTimeoutError,
  UnsupportedError,
  WrongTypeError,
} from "./errors";
export { BYPASS_REASONS, type BypassReason, type CacheEvent, type StoreOperation } from "./events";
export { createLocalContext, type LocalContext, type LocalKeyspace, type LocalValue } from "./local-context";
export { createLocalStore, type LocalStoreParts } from "./local-store";
export { type Logger, silentLogger } from "./logger";
export { memoryKeyspace } from "./memory-keyspace";
export {
  type PromClientLike,
  type PromCounterLike,
  type PrometheusOptions,
  registerCacheMetrics,
} from "./prometheus";
export { runLocalScript } from "./run-local-script";
export { defineScript, type Script, type ScriptArg, type ScriptDefinition, type ScriptReply } from "./script";
export type { CacheStats, ToolStats } from "./stats";
export type { RunOptions, Store, StoreCapabilities } from "./store";
export type { StoreOutagePolicy } from "./store-outage";
export { assertTtlMs } from "./ttl";
export type { WarmEntry, WarmResult } from "./warm";
