import { RedisHarnessError, startRedis } from "@mcp-persist/test-redis";

/** The Redis the run talks to, and how it was found. */
export interface RedisTarget {
  url: string;
  /** The URL with any password replaced, for output. */
  displayUrl: string;
  source: "REDIS_URL" | "started";
  /** Whether the benchmark started this server (and so may do what it likes with it). */
  owned: boolean;
  /** Stops a server the benchmark started; nothing for the user's. Idempotent. */
  release(): Promise<void>;
}

export type RedisLookup = { target: RedisTarget } | { target: undefined; reason: string };

/**
 * `REDIS_URL` (or `--redis-url`) when given; else a throwaway redis-server on a free loopback
 * port, through the project's test harness; else nothing, with the reason.
 */
export async function findRedis(url: string | undefined): Promise<RedisLookup> {
  if (url !== undefined) {
    return {
      target: { url, displayUrl: redact(url), source: "REDIS_URL", owned: false, release: async () => {} },
    };
  }
  try {
    const server = await startRedis();
    return {
      target: {
        url: server.url,
        displayUrl: server.url,
        source: "started",
        owned: true,
        release: () => server.stop(),
      },
    };
  } catch (error) {
    if (error instanceof RedisHarnessError && error.code === "REDIS_NOT_INSTALLED") {
      return {
        target: undefined,
        reason:
          "no REDIS_URL and no redis-server on PATH: only the in-process store (store-lru) was measured. " +
          "Install Redis (apt-get install -y redis-server) or set REDIS_URL for the Redis stores and the peers.",
      };
    }
    throw error;
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
