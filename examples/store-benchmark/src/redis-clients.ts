import { Redis } from "ioredis";
import { createClient, type RedisClientType } from "redis";

export type NodeRedis = RedisClientType;

/**
 * One client per library, as an application would hold it: our store and the raw baseline of
 * that library share it, so both measure the same connection.
 */
export interface RedisClients {
  ioredis: Redis;
  nodeRedis: NodeRedis;
  /** INFO, SCAN and cleanup only: never on a measured path. */
  admin: Redis;
  serverVersion: string;
  close(): Promise<void>;
}

/**
 * Connection errors reach the benchmark as rejected commands, which fail the line that sent them;
 * the clients' `error` events would only repeat them, and crash the process when unheard (a
 * client reconnecting to a server already stopped by Ctrl-C).
 */
export function quiet<T extends { on(event: "error", listener: (error: unknown) => void): unknown }>(
  client: T,
): T {
  client.on("error", () => {});
  return client;
}

export async function connectClients(url: string): Promise<RedisClients> {
  const admin = quiet(new Redis(url, { lazyConnect: true }));
  // No offline queue, as the stores' READMEs advise (a command sent while disconnected fails at
  // once instead of waiting to run late); while connected it changes nothing.
  const ioredis = quiet(new Redis(url, { lazyConnect: true, enableOfflineQueue: false }));
  const nodeRedis = quiet(createClient({ url, disableOfflineQueue: true }));
  // A refused connection should end the run with its cause, not retry quietly for ever.
  await Promise.all([admin.connect(), ioredis.connect(), nodeRedis.connect()]);
  const info = await admin.info("server");
  const serverVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  return {
    ioredis,
    nodeRedis,
    admin,
    serverVersion,
    async close() {
      await Promise.allSettled([ioredis.quit(), nodeRedis.close(), admin.quit()]);
    },
  };
}

/** Deletes every key under `prefix` (this run's keys on a Redis the user lent us); returns how many. */
export async function deleteKeys(admin: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) deleted += await admin.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
  return deleted;
}
