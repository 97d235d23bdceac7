import { type RedisServer, type StartRedisOptions, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll } from "vitest";

/**
 * A redis-server for the calling test file: started in `beforeAll`, stopped in `afterAll`.
 * Returns a getter, because the server exists only once `beforeAll` has run: call it inside
 * tests and hooks, never at collection time (it throws, naming the mistake).
 */
export function useRedis(options?: StartRedisOptions): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedis(options);
  });
  afterAll(() => server?.stop());
  return () => {
    if (server === undefined) {
      throw new Error(
        "[@mcp-persist/test-kit] the Redis server starts in beforeAll: read it inside a test or hook",
      );
    }
    return server;
  };
}
