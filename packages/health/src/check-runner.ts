import { performance } from "node:perf_hooks";
import { errorText, outputText } from "./error-text";
import { type ResolvedCheck, resolveCheck } from "./resolve-check";
import { runWithTimeout } from "./run-with-timeout";
import type { CheckOutcome, CheckResult, HealthCheck, HealthStatus } from "./types";

const STATUSES: readonly unknown[] = ["pass", "warn", "fail"];

function asOutcome(value: unknown): CheckOutcome | undefined {
  const status = (value as CheckOutcome | null | undefined)?.status;
  return typeof value === "object" && STATUSES.includes(status) ? (value as CheckOutcome) : undefined;
}

/**
 * One check with its defaults applied, its last result cached for `cacheMs`, and at most one
 * run in flight: concurrent probes share it, so a burst of probes costs one PING.
 */
export class CheckRunner {
  readonly key: string;
  readonly name: string;
  readonly critical: boolean;
  readonly componentId: string | undefined;
  readonly #check: ResolvedCheck;
  readonly #timeoutMs: number;
  readonly #cacheMs: number;
  #cached: { result: CheckResult; at: number } | undefined;
  #inFlight: Promise<CheckResult> | undefined;

  constructor(check: HealthCheck, defaults: { timeoutMs: number; cacheMs: number }, index: number) {
    this.#check = resolveCheck(`checks[${index}]`, check, defaults.timeoutMs);
    this.key = this.#check.key;
    this.name = this.#check.name;
    this.critical = this.#check.critical;
    this.componentId = this.#check.componentId;
    this.#timeoutMs = this.#check.timeoutMs ?? defaults.timeoutMs;
    this.#cacheMs = defaults.cacheMs;
  }

  /** The cached result if fresh, else the run in flight, else a new run. Never rejects. */
  result(): Promise<CheckResult> {
    if (this.#cached !== undefined && performance.now() - this.#cached.at < this.#cacheMs) {
      return Promise.resolve(this.#cached.result);
    }
    this.#inFlight ??= this.#run().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #run(): Promise<CheckResult> {
    const started = performance.now();
    let status: HealthStatus;
    let output: string | undefined;
    try {
      const outcome = asOutcome(
        await runWithTimeout(this.name, this.#timeoutMs, (signal) => this.#check.run(signal)),
      );
      const elapsed = performance.now() - started;
      status = outcome?.status ?? "pass";
      output = outputText(outcome?.output);
      const { warnAfterMs } = this.#check;
      if (status === "pass" && warnAfterMs !== undefined && elapsed > warnAfterMs) {
        status = "warn";
        output = `responded in ${Math.round(elapsed)} ms, above warnAfterMs (${warnAfterMs} ms)`;
      }
    } catch (error) {
      status = "fail";
      output = errorText(error);
    }
    const finished = performance.now();
    // A non-critical dependency can degrade the service, never take it out of rotation.
    if (status === "fail" && !this.critical) status = "warn";
    const result: CheckResult = {
      ...(this.#check.componentId === undefined ? {} : { componentId: this.#check.componentId }),
      ...(this.#check.componentType === undefined ? {} : { componentType: this.#check.componentType }),
      observedValue: Math.round((finished - started) * 100) / 100,
      observedUnit: "ms",
      status,
      time: new Date().toISOString(),
      ...(status === "pass" || output === undefined ? {} : { output }),
    };
    this.#cached = { result, at: finished };
    return result;
  }
}
