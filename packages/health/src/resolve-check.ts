import { describe, optionNames } from "@mcp-persist/internal";
import { InvalidOptionError } from "./errors";
import type { HealthCheck } from "./types";
import { keyPart, optionalBoolean, optionalString, optionsObject, positiveMs } from "./validate-options";

/** Every field of a {@link HealthCheck}. */
export const CHECK_FIELDS = optionNames<HealthCheck>({
  name: true,
  measurement: true,
  componentId: true,
  componentType: true,
  critical: true,
  timeoutMs: true,
  warnAfterMs: true,
  run: true,
});

/** A check with every field checked and its defaults applied. */
export interface ResolvedCheck {
  name: string;
  /** `"<name>:<measurement>"`, the key of its entry in the report. */
  key: string;
  componentId: string | undefined;
  componentType: string | undefined;
  critical: boolean;
  /** Undefined only when no default was given (`redisCheck`, before `createHealth` has one). */
  timeoutMs: number | undefined;
  warnAfterMs: number | undefined;
  run: HealthCheck["run"];
}

/**
 * Checks every field of `value`, a check, at construction: a bad one must fail at startup, not
 * turn into a wrong status at the first probe (`critical: "no"` would count as critical).
 * `label` names it in messages (`checks[2]`).
 */
export function resolveCheck(label: string, value: unknown, defaultTimeoutMs?: number): ResolvedCheck {
  const check = optionsObject(label, value, CHECK_FIELDS);
  if (typeof check.run !== "function") {
    throw new InvalidOptionError(
      `${label}.run must be a function (the check itself), got ${describe(check.run)}`,
    );
  }
  const name = keyPart(`${label}.name`, check.name);
  const measurement = keyPart(`${label}.measurement`, check.measurement ?? "responseTime");
  const timeoutMs =
    check.timeoutMs === undefined ? defaultTimeoutMs : positiveMs(`${label}.timeoutMs`, check.timeoutMs);
  const warnAfterMs =
    check.warnAfterMs === undefined ? undefined : positiveMs(`${label}.warnAfterMs`, check.warnAfterMs);
  if (warnAfterMs !== undefined && timeoutMs !== undefined && warnAfterMs >= timeoutMs) {
    throw new InvalidOptionError(
      `${label}.warnAfterMs (${warnAfterMs}) must be below its timeoutMs (${timeoutMs}), or it can never warn`,
    );
  }
  return {
    name,
    key: `${name}:${measurement}`,
    componentId: optionalString(`${label}.componentId`, check.componentId),
    componentType: optionalString(`${label}.componentType`, check.componentType),
    critical: optionalBoolean(`${label}.critical`, check.critical) ?? true,
    timeoutMs,
    warnAfterMs,
    // Called on the check itself, so a check written as a class keeps its `this`.
    run: (signal) => (check as unknown as HealthCheck).run(signal),
  };
}
