// What an application calls: the cache, its options and events, the errors it can meet, and the
// types that name a store. Authors of stores and capabilities build with `@mcp-persist/cache-core/kit`.

/** Who is calling: the one identity type of the cache (`ToolCall.caller`) and the rate limiter. */
export type { Caller } from "@mcp-persist/keys";
export type { BusListener, BusSubscription, StoreBus } from "./bus";
export { type Cache, createCache } from "./cache";
export type { CacheKey, ToolCall } from "./cache-key";
export {
  type CacheOptions,
  type FleetSingleFlight,
  isErrorResult,
  type L1Options,
  type ToolPolicy,
  type WrapOptions,
} from "./cache-options";
export { type Clock, systemClock } from "./clock";
export { type Codec, defaultCodec } from "./codec";
export {
  CodecError,
  CrossSlotError,
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
export { type Logger, silentLogger } from "./logger";
export {
  type PromClientLike,
  type PromCounterLike,
  type PrometheusOptions,
  registerCacheMetrics,
} from "./prometheus";
export type { Script, ScriptArg, ScriptReply } from "./script";
export type { CacheStats, ToolStats } from "./stats";
export type { RunOptions, Store, StoreCapabilities } from "./store";
export type { StoreOutagePolicy } from "./store-outage";
export type { WarmEntry, WarmResult } from "./warm";
