import { isErrorResult, type Store } from "@mcp-persist/cache-core";
import { describeValue } from "@mcp-persist/keys";
import {
  type LockBusy,
  type LockOptions,
  type OnceOptions,
  type OnceUnknown,
  once,
  withLock,
} from "@mcp-persist/lock";
import type { CallState } from "./call-state";
import { invalidOption } from "./errors";
import { checkGuardOptions } from "./guard-options";
import { type Charge, refundCharge } from "./rate-limit-step";
import { busyResult } from "./refusals";
import type { Runtime } from "./runtime";
import type { RequestContext, ToolResult } from "./sdk-shapes";
import type { KeyFrom, ToolLockPolicy, ToolOncePolicy } from "./tool-declaration";

/** How one tool's calls are guarded: under `withLock`, or `once`. */
export interface GuardPlan {
  readonly kind: "lock" | "once";
  readonly store: Store;
  readonly key: KeyFrom<unknown, RequestContext>;
  readonly busyMessage: string | undefined;
  readonly options: LockOptions & OnceOptions;
}

/**
 * The guard of a tool, or `undefined` with neither `lock` nor `once`.
 * @throws {InvalidOptionError} for both at once, a missing resource or key, no store to lock on, or
 * an option `withLock` / `once` would refuse (a misspelt one included).
 */
export function guardPlan(
  tool: string,
  lock: ToolLockPolicy<never, never> | undefined,
  oncePolicy: ToolOncePolicy<never, never> | undefined,
  runtime: Runtime,
): GuardPlan | undefined {
  if (lock !== undefined && oncePolicy !== undefined) {
    throw invalidOption(
      `${tool} declares both lock and once: once already holds a lock while it runs; keep one`,
    );
  }
  const kind = lock !== undefined ? "lock" : "once";
  const policy: object | undefined = lock ?? oncePolicy;
  if (policy === undefined) return undefined;
  if (typeof policy !== "object" || policy === null) {
    throw invalidOption(
      `${tool}: ${kind} must be an object such as { ${kind === "lock" ? "resource" : "key"}: (args) => "…" }, got ${describeValue(policy)}`,
    );
  }
  if (runtime.lockStore === undefined) {
    throw invalidOption(
      `${tool} declares ${kind}, but createToolPolicies() got neither lockStore nor cache: pass { lockStore: store }`,
    );
  }
  const { resource, key, busyMessage, ...options } = policy as {
    resource?: unknown;
    key?: unknown;
    busyMessage?: unknown;
  };
  checkGuardOptions(tool, kind, policy, options);
  const name = kind === "lock" ? resource : key;
  if (!(typeof name === "function" || (typeof name === "string" && name.length > 0))) {
    throw invalidOption(
      `${tool}: ${kind}.${kind === "lock" ? "resource" : "key"} must be a non-empty string or a function (args, ctx) => string, got ${describeValue(name)}`,
    );
  }
  if (busyMessage !== undefined && typeof busyMessage !== "string") {
    throw invalidOption(`${tool}: ${kind}.busyMessage must be a string, got ${describeValue(busyMessage)}`);
  }
  return {
    kind,
    store: runtime.lockStore,
    key: name as KeyFrom<unknown, RequestContext>,
    busyMessage,
    options: { logger: runtime.logger, ...(options as LockOptions & OnceOptions) },
  };
}

/** An `isError` result from inside `once`: thrown so `once` keeps no record of a failed attempt. */
class NotDone extends Error {
  constructor(readonly result: ToolResult) {
    super("[@mcp-persist/mcp] internal: the handler returned an error result");
  }
}

/**
 * Runs the handler under the tool's lock or `once`. A call they answer without running the
 * handler — busy, unknown, an earlier result replayed, the lock store down, cancelled while
 * waiting — gives its rate-limit unit back.
 */
export async function runGuarded(call: CallState, charge: Charge | undefined): Promise<ToolResult> {
  const guard = call.plan.guard;
  if (guard === undefined) return call.handler();
  let started = false;
  const run = (): Promise<ToolResult> => {
    started = true;
    return call.handler();
  };
  try {
    const key = typeof guard.key === "function" ? guard.key(call.args, call.context) : guard.key;
    const options = call.signal === undefined ? guard.options : { ...guard.options, signal: call.signal };
    if (guard.kind === "lock") {
      const outcome = await withLock(guard.store, key, run, options);
      return outcome.status === "ran"
        ? outcome.value
        : await refused(call, charge, outcome, guard.busyMessage);
    }
    const outcome = await once(
      guard.store,
      key,
      async () => {
        const result = await run();
        if (isErrorResult(result)) throw new NotDone(result);
        return result;
      },
      options,
    );
    if (outcome.status === "ran") return outcome.value;
    if (outcome.status !== "done") return await refused(call, charge, outcome, guard.busyMessage);
    await refundCharge(call, charge);
    return outcome.value;
  } catch (error) {
    if (error instanceof NotDone) return error.result;
    if (!started) await refundCharge(call, charge);
    throw error;
  }
}

async function refused(
  call: CallState,
  charge: Charge | undefined,
  outcome: LockBusy | OnceUnknown,
  message: string | undefined,
): Promise<ToolResult> {
  if (outcome.status === "busy") call.counters.busy++;
  else call.counters.unknown++;
  call.runtime.emit({ type: outcome.status, tool: call.label });
  await refundCharge(call, charge);
  return busyResult(outcome, outcome.status === "busy" ? message : undefined);
}
