import { optionNames, warnDeprecated } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";
import type { Policy } from "./cache-fill";
import type { ToolPolicy } from "./cache-options";
import { boolean, known, nonNegative } from "./check-option";
import { InvalidOptionError } from "./errors";
import type { ResolvedOptions } from "./resolve-options";
import { assertTtlMs } from "./ttl";

const PKG = "@mcp-persist/cache-core";
/** `requireScope`: deprecated, still honoured. */
const toolPolicyNames = known(
  optionNames<ToolPolicy>({ ttlMs: true, staleTtlMs: true, requireCaller: true, requireScope: true }),
);

/** What a tool's calls get unless they say otherwise: the cache's options, overridden per tool. */
export interface ToolDefaults {
  readonly policy: Policy<unknown>;
  readonly requireCaller: boolean;
}

/** Checks `createCache({ tools })`; a typo in a policy name must not silently drop a safety. */
export function resolveToolPolicies(tools: unknown): ReadonlyMap<string, ToolPolicy> {
  const resolved = new Map<string, ToolPolicy>();
  if (tools === undefined) return resolved;
  if (typeof tools !== "object" || tools === null || Array.isArray(tools)) {
    throw new InvalidOptionError(
      PKG,
      `tools must be an object of per-tool policies, e.g. { get_profile: { requireCaller: true } }, got ${describeValue(tools)}`,
    );
  }
  for (const [tool, policy] of Object.entries(tools)) {
    const at = `tools${/^[A-Za-z_$][\w$]*$/.test(tool) ? `.${tool}` : `[${describeValue(tool)}]`}`;
    if (typeof policy !== "object" || policy === null) {
      throw new InvalidOptionError(
        PKG,
        `${at} must be an object such as { requireCaller: true }, got ${describeValue(policy)}`,
      );
    }
    toolPolicyNames(policy, at);
    const { ttlMs, staleTtlMs } = policy as ToolPolicy;
    if (ttlMs !== undefined) assertTtlMs(ttlMs, PKG, `${at}.ttlMs`);
    resolved.set(tool, {
      ttlMs,
      staleTtlMs: staleTtlMs === undefined ? undefined : nonNegative(`${at}.staleTtlMs`, staleTtlMs),
      requireCaller: requireCallerOption(
        policy as ToolPolicy,
        `${at}.`,
        "createCache({ tools: { <tool>: { requireScope } } })",
      ),
    });
  }
  return resolved;
}

/** Makes each tool's defaults once (per tool label), from its policy and the cache's options. */
export function toolDefaults(options: ResolvedOptions): (tool: string | undefined) => ToolDefaults {
  const shared: ToolDefaults = {
    policy: { ttlMs: options.defaultTtlMs, staleTtlMs: options.staleTtlMs, isError: options.isError },
    requireCaller: options.requireCaller,
  };
  return (tool) => {
    const own = tool === undefined ? undefined : options.tools.get(tool);
    if (own === undefined) return shared;
    return {
      policy: {
        ttlMs: own.ttlMs ?? options.defaultTtlMs,
        staleTtlMs: own.staleTtlMs ?? options.staleTtlMs,
        isError: options.isError,
      },
      requireCaller: own.requireCaller ?? options.requireCaller,
    };
  };
}

/**
 * `requireCaller`, or its deprecated name `requireScope` (one release), checked as a boolean; the
 * new name wins when both are given, as `storeTimeoutMs` does over `opTimeoutMs`.
 * @param at the option's path in messages, e.g. `tools.get_profile.` (empty at the top level).
 * @param oldName how the deprecation warning names the old option (one warning per place).
 */
export function requireCallerOption(
  options: { requireCaller?: boolean | undefined; requireScope?: boolean | undefined },
  at: string,
  oldName: string,
): boolean | undefined {
  if (options.requireCaller !== undefined) return boolean(`${at}requireCaller`, options.requireCaller);
  if (options.requireScope === undefined) return undefined;
  warnDeprecated(PKG, oldName, oldName.replace("requireScope", "requireCaller"));
  return boolean(`${at}requireScope`, options.requireScope);
}
