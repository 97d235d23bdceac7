import type { Cleanup } from "./cleanup";
import type { Unavailable } from "./plan";
import { connectClients, deleteKeys, type RedisClients } from "./redis-clients";
import { findRedis, type RedisTarget } from "./redis-target";

export interface RedisSetup {
  target: RedisTarget;
  clients: RedisClients;
}

/**
 * Finds (or starts) the Redis, connects the shared clients, and registers their cleanup: on a
 * server the run started, stopping it is the cleanup; on the user's, the run deletes what it wrote.
 * Without a Redis, says why in `notices` and `unavailable`.
 */
export async function setUpRedis(
  url: string | undefined,
  runId: string,
  cleanup: Cleanup,
  record: { notices: string[]; unavailable: Unavailable[] },
): Promise<RedisSetup | undefined> {
  process.stderr.write(
    url === undefined ? "Starting a redis-server for this run…\n" : "Connecting to REDIS_URL…\n",
  );
  const found = await findRedis(url);
  if (found.target === undefined) {
    process.stderr.write(`${found.reason}\n`);
    record.notices.push(found.reason);
    record.unavailable.push({
      workload: "peers",
      what: "store-ioredis, store-node-redis and every peer",
      reason: found.reason,
    });
    return undefined;
  }
  const target = found.target;
  cleanup.defer(() => target.release());
  const clients = await connectClients(target.url);
  cleanup.defer(() => clients.close());
  if (!target.owned) cleanup.defer(() => deleteKeys(clients.admin, runId));
  const where = target.source === "started" ? "started for this run" : "REDIS_URL";
  process.stderr.write(`Redis ${clients.serverVersion} at ${target.displayUrl} (${where})\n`);
  return { target, clients };
}
