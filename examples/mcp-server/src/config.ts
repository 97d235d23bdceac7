import { randomUUID } from "node:crypto";

/** Which MCP SDK line serves: `@modelcontextprotocol/sdk` 1.x or `@modelcontextprotocol/server` 2.x. */
export type SdkLine = "v1" | "v2";
/** Where cache entries, rate-limit counts and locks live. */
export type StoreKind = "lru" | "ioredis" | "node-redis";

/** Everything the server reads from its environment and command line, checked once at start. */
export interface Config {
  /** `MCP_SDK`. @default "v1" */
  sdk: SdkLine;
  /** `--http` on the command line (the `start:http` script): streamable HTTP at `/mcp`; else stdio. */
  transport: "stdio" | "http";
  /** `HOST`: the interface the HTTP listeners bind. @default "127.0.0.1" (local only) */
  host: string;
  /** `PORT`: the MCP endpoint's port (0 picks a free one; the log line `http_listening` names it). @default 3000 */
  port: number;
  /**
   * `HEALTH_PORT`: probes and `/metrics` on a port of their own. Over HTTP they share `PORT`
   * when it is unset; over stdio they are served only when it is set.
   * @default undefined
   */
  healthPort: number | undefined;
  /** `STORE`. @default "ioredis" when `REDIS_URL` is set, else "lru" */
  store: StoreKind;
  /** `REDIS_URL`, required by the Redis stores. @default undefined */
  redisUrl: string | undefined;
  /**
   * `MCP_CALLER`: who the stdio caller is. Each stdio process is a caller of its own by default;
   * two processes given the same name share per-caller cache entries and limits (on Redis).
   * @default "stdio-<random uuid>"
   */
  stdioCaller: string;
}

/** Thrown for a bad environment variable: the message names it and what it accepts. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function port(name: string, value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, got "${value}"`);
  }
  return parsed;
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === "") return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, argv = process.argv.slice(2)): Config {
  const redisUrl = env.REDIS_URL === "" ? undefined : env.REDIS_URL;
  const store = oneOf<StoreKind>(
    "STORE",
    env.STORE,
    ["lru", "ioredis", "node-redis"],
    redisUrl === undefined ? "lru" : "ioredis",
  );
  if (store !== "lru" && redisUrl === undefined) {
    throw new ConfigError(`STORE=${store} needs REDIS_URL (e.g. redis://127.0.0.1:6379)`);
  }
  const unknown = argv.filter((arg) => arg !== "--http");
  if (unknown.length > 0) throw new ConfigError(`unknown arguments: ${unknown.join(" ")} (only --http)`);
  return {
    sdk: oneOf<SdkLine>("MCP_SDK", env.MCP_SDK, ["v1", "v2"], "v1"),
    transport: argv.includes("--http") ? "http" : "stdio",
    host: env.HOST || "127.0.0.1",
    port: port("PORT", env.PORT, 3000) as number,
    healthPort: port("HEALTH_PORT", env.HEALTH_PORT, undefined),
    store,
    redisUrl,
    stdioCaller: env.MCP_CALLER || `stdio-${randomUUID()}`,
  };
}
