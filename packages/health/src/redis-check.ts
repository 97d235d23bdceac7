import { describe } from "@mcp-persist/internal";
import { InvalidOptionError } from "./errors";
import { CHECK_FIELDS, resolveCheck } from "./resolve-check";
import type { HealthCheck } from "./types";
import { optionsObject } from "./validate-options";

/**
 * Anything with a `ping()`: an mcp-persist `Store` (`Promise<number>`), an ioredis client or
 * cluster (`Promise<"PONG">`), a node-redis client (`Promise<string>`). The reply is not
 * inspected: answering at all, in time, is the signal.
 */
export interface Pingable {
  ping(): Promise<unknown>;
}

export interface RedisCheckOptions extends Omit<HealthCheck, "run" | "name" | "componentType"> {
  /** Component name in the report key. @default "redis" */
  name?: string;
  /** @default "datastore" */
  componentType?: string;
}

/**
 * A timed PING as a health check. The check times the call itself, so every target reports
 * the same thing: the round trip as the application sees it.
 *
 * The client decides what a dead Redis looks like: with default settings ioredis and
 * node-redis queue commands while reconnecting, so PING hangs until this check's timeout.
 * See the README for fail-fast settings.
 */
export function redisCheck(target: Pingable, options: RedisCheckOptions = {}): HealthCheck {
  if (typeof (target as Partial<Pingable> | null)?.ping !== "function") {
    throw new InvalidOptionError(
      `redisCheck() needs a Store or a Redis client with a ping() method, got ${describe(target)}`,
    );
  }
  const given = optionsObject("redisCheck() options", options, REDIS_CHECK_OPTIONS);
  const check: HealthCheck = {
    ...given,
    name: (given.name as string | undefined) ?? "redis",
    componentType: (given.componentType as string | undefined) ?? "datastore",
    run: () => target.ping(),
  };
  // Checked now, with no default timeout yet: createHealth checks it again once it has one.
  resolveCheck("redisCheck() options", check);
  return check;
}

const REDIS_CHECK_OPTIONS = CHECK_FIELDS.filter((field) => field !== "run");
