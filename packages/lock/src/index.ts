export { clearOnce } from "./clear-once";
export { LockLostError, LockUnavailableError } from "./errors";
export { once } from "./once";
export type { LockOptions, OnceOptions } from "./options";
export type { StoreErrorPolicy } from "./outage-policy";
export { checkLockOptions, checkOnceOptions } from "./resolve-options";
export { lockScripts } from "./scripts";
export {
  busyToolResult,
  LOCK_BUSY_MESSAGE,
  type NotRunToolResult,
  ONCE_UNKNOWN_MESSAGE,
} from "./tool-result";
export type {
  ContextFor,
  LockBusy,
  LockContext,
  LockedContext,
  LockRan,
  LockResult,
  OnceDone,
  OnceRan,
  OnceResult,
  OnceUnknown,
  UnlockedContext,
} from "./types";
export { withLock } from "./with-lock";
