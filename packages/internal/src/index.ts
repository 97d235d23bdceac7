// Never published: every package that imports this compiles it into its own bundle (tsup's
// `noExternal` and `dts.resolve` in tsup.config.base.ts), so it adds no runtime dependency.

export { warnDeprecated } from "./deprecation";
export { describe } from "./describe";
export type { Logger } from "./logger";
export { booleanCheck, given, knownOptions, optionNames } from "./option-checks";
export { errorFamily, PackageError } from "./package-error";
export { MAX_TIMER_MS, type TimerMsChecks, timerMsChecks } from "./timer-ms";
