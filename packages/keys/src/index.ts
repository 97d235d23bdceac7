export { type CanonicalizeOptions, canonicalize } from "./canonicalize";
export { describeValue } from "./describe-value";
export { type ArgsDigestOptions, argsDigest, DEFAULT_DIGEST_BYTES, digest } from "./digest";
export { InvalidOptionError, KeyError, type KeyErrorCode } from "./errors";
export { type LogId, loadLogId, logId } from "./log-id";
export { joinKey, keySegment, MAX_SEGMENT_LENGTH } from "./segment";
export {
  type Caller,
  type CallerScope,
  callerDigest,
  MAX_TOOL_KEY_LENGTH,
  SHARED_CALLER,
  SHARED_SCOPE,
  scopeDigest,
  type ToolKeyOptions,
  type ToolPrefixOptions,
  toolKey,
  toolPrefix,
} from "./tool-key";
