import { type Cache, type Logger, type Store, silentLogger } from "@mcp-persist/cache-core";
import { assertLogger, assertStore, optionNames } from "@mcp-persist/cache-core/kit";
import { describeValue } from "@mcp-persist/keys";
import type { ToolRateLimiter } from "@mcp-persist/ratelimit";
import { type CallerResolver, callerResolver } from "./caller";
import { boolean, invalidOption, knownNames, PKG } from "./errors";
import type { McpPolicyEvent, ToolPoliciesOptions } from "./options";
import { PolicyCounters } from "./policy-stats";

/** Registration warnings, by event type. */
type WarningType = "cache-forced" | "cache-refused" | "schema-unversioned";

const toolPoliciesOptionNames = knownNames(
  optionNames<ToolPoliciesOptions>({
    cache: true,
    limiter: true,
    lockStore: true,
    caller: true,
    chargeCacheHits: true,
    logger: true,
    onEvent: true,
  }),
);

/**
 * What every call of every tool shares: the parts the policies run on, the identity rule, the
 * counters and the event hook. One per `createToolPolicies`.
 */
export class Runtime {
  readonly cache: Cache | undefined;
  readonly limiter: ToolRateLimiter | undefined;
  readonly lockStore: Store | undefined;
  readonly identify: CallerResolver;
  readonly chargeCacheHits: boolean;
  readonly logger: Logger;
  /** Per registered label (tool name, `resource:<name>`): kept across re-registrations. */
  readonly counters = new Map<string, PolicyCounters>();
  readonly #onEvent: ((event: McpPolicyEvent) => void) | undefined;
  /** A tool registered on every session's server warns once, not once per session. */
  readonly #warned = new Set<string>();

  /** @throws {InvalidOptionError} for an option of the wrong type. */
  constructor(options: ToolPoliciesOptions) {
    if (typeof options !== "object" || options === null) {
      throw invalidOption(`createToolPolicies() takes an options object, got ${describeValue(options)}`);
    }
    toolPoliciesOptionNames(options, "createToolPolicies()");
    const { cache, limiter, lockStore, chargeCacheHits = false, logger = silentLogger, onEvent } = options;
    expect("cache", cache, typeof cache?.wrap === "function", "a Cache from createCache()");
    expect(
      "limiter",
      limiter,
      typeof limiter?.check === "function",
      "a ToolRateLimiter from createToolRateLimiter()",
    );
    if (lockStore !== undefined) assertStore(lockStore, PKG, "createToolPolicies(): lockStore");
    boolean("createToolPolicies(): chargeCacheHits", chargeCacheHits);
    // Every level is used: warn at registration, error when onEvent throws, the lock's on its own.
    assertLogger(logger, PKG, "createToolPolicies(): logger");
    expect("onEvent", onEvent, typeof onEvent === "function", "a function");
    this.cache = cache;
    this.limiter = limiter;
    this.lockStore = lockStore ?? cache?.store;
    this.identify = callerResolver(options.caller);
    this.chargeCacheHits = chargeCacheHits;
    this.logger = logger;
    this.#onEvent = onEvent;
  }

  /** The counters of a label, made at its first registration. */
  register(label: string): PolicyCounters {
    let counters = this.counters.get(label);
    if (counters === undefined) {
      counters = new PolicyCounters();
      this.counters.set(label, counters);
    }
    return counters;
  }

  emit(event: McpPolicyEvent): void {
    if (this.#onEvent === undefined) return;
    try {
      this.#onEvent(event);
    } catch (error) {
      this.logger.error({ err: error }, "mcp onEvent hook threw; fix the hook (the call was not affected)");
    }
  }

  /** A registration warning: logged and emitted once per tool and kind. */
  warn(type: WarningType, tool: string, event: string, message: string): void {
    const id = `${type}\u0000${tool}`;
    if (this.#warned.has(id)) return;
    this.#warned.add(id);
    this.logger.warn({ event, tool }, message);
    this.emit({ type, tool });
  }
}

function expect(name: string, value: unknown, ok: boolean, what: string): void {
  if (value !== undefined && !ok) {
    throw invalidOption(`createToolPolicies(): ${name} must be ${what}, got ${describeValue(value)}`);
  }
}
