import type { ScriptArg } from "@mcp-persist/cache-core";
import type { LimitRule } from "./limits";
import { checkArgs } from "./script-args";

/** A rule with the name results report it by (`default`, `perCaller`, ...). */
export interface NamedRule extends LimitRule {
  readonly name: string;
}

/**
 * The rules a limiter checks on every call, fixed at construction, with what can be computed
 * once: the script arguments of the common single check costing 1, and which rules' keys share
 * a Cluster slot.
 */
export class LimitSet {
  readonly rules: readonly NamedRule[];
  /** The smallest limit: no cost above it can ever be allowed. */
  readonly smallestLimit: number;
  /**
   * Rule indexes grouped by the hash tag of their keys, in order. All rules go in one script; a
   * Redis Cluster refuses that across slots, and then each group gets its own.
   */
  readonly slotGroups: readonly (readonly number[])[];
  /** Every rule's index, in order: what a check sent in one script charges. */
  readonly everyRule: readonly number[];
  /** ARGV of one check costing 1 over every rule, as strings: an in-process body reads them as they are. */
  readonly #unitArgs: readonly string[];

  /** @param slotGroup names the hash tag a rule's keys carry (rules with the same one share a slot) */
  constructor(rules: readonly NamedRule[], slotGroup: (rule: NamedRule) => string) {
    this.rules = rules;
    this.smallestLimit = Math.min(...rules.map((rule) => rule.limit));
    const groups = new Map<string, number[]>();
    rules.forEach((rule, i) => {
      const tag = slotGroup(rule);
      groups.set(tag, [...(groups.get(tag) ?? []), i]);
    });
    this.slotGroups = [...groups.values()];
    this.everyRule = rules.map((_, i) => i);
    this.#unitArgs = Object.freeze(checkArgs(rules, [1]).map(String));
  }

  /** The check script's ARGV for checks costing `costs`, over the rules at `indexes` (default: all). */
  args(costs: readonly number[], indexes?: readonly number[]): readonly ScriptArg[] {
    if (indexes !== undefined) return checkArgs(this.pick(indexes), costs);
    return costs.length === 1 && costs[0] === 1 ? this.#unitArgs : checkArgs(this.rules, costs);
  }

  /** The check script's ARGV for one check costing `cost`, over every rule. */
  argsOf(cost: number): readonly ScriptArg[] {
    return cost === 1 ? this.#unitArgs : checkArgs(this.rules, [cost]);
  }

  /** The rules at `indexes`. */
  pick(indexes: readonly number[]): NamedRule[] {
    return indexes.map((i) => this.rules[i] as NamedRule);
  }
}
