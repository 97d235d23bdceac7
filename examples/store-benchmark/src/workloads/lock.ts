import type { Store } from "@mcp-persist/cache-core";
import { Redis } from "ioredis";
import { Mutex } from "redis-semaphore";
import Redlock from "redlock";
import type { StoreName } from "../cli-options";
import type { BenchContext } from "../context";
import type { Group, Subject, Unavailable } from "../plan";
import { quiet } from "../redis-clients";
import { optionalImport } from "./optional-import";

/** Lease length: far longer than a call, so no lease is ever extended or lost mid-measurement. */
const TTL_MS = 10_000;

/**
 * Lock, run a no-op, unlock: each worker on its own resource, so nothing ever waits for another
 * holder and every call does the full acquire + release. Ours (`withLock`, which also hands out
 * a fencing token) against redlock's `using` and redis-semaphore's Mutex, on one Redis.
 */
export async function lockGroups(ctx: BenchContext, unavailable: Unavailable[]): Promise<Group[]> {
  const lock = await optionalImport(() => import("@mcp-persist/lock"), "withLock");
  if (typeof lock === "string") {
    unavailable.push({ workload: "lock", what: "locks (@mcp-persist/lock)", reason: lock });
    return [];
  }
  const redis = ctx.redis;
  if (redis === undefined) {
    unavailable.push({
      workload: "lock",
      what: "locks",
      reason: "they compare Redis locks, and there is no Redis",
    });
    return [];
  }
  const resource = (worker: number): string => `${ctx.runId}-lock-w${worker}`;

  const ours = (store: Store, name: StoreName): Subject => ({
    id: `lock/${name}/ours`,
    label: `withLock · store-${name}`,
    role: "ours",
    library: `@mcp-persist/lock + store-${name}`,
    store: name,
    onRedis: true,
    op: async (i, worker) => {
      const result = await lock.withLock(store, resource(worker), () => i, {
        ttlMs: TTL_MS,
        namespace: ctx.runId,
      });
      // Each worker has its own resource: "busy" would mean the benchmark is wrong, not slow.
      if (result.status !== "ran")
        throw new Error(`withLock returned ${result.status} on an uncontended resource`);
    },
  });
  const subjects = [...ctx.stores]
    .filter(([name]) => name !== "lru")
    .map(([name, make]) => ours(make(), name));
  if (ctx.options.peers) {
    // Own connections, default settings: what each library's README sets up.
    const redlockClient = quiet(new Redis(redis.url));
    const semaphoreClient = quiet(new Redis(redis.url));
    ctx.defer(() => redlockClient.quit());
    ctx.defer(() => semaphoreClient.quit());
    const redlock = new Redlock([redlockClient]);
    subjects.push(
      {
        id: "lock/peer/redlock",
        label: "redlock using",
        role: "peer",
        library: "redlock 5 (one Redis, ioredis)",
        onRedis: true,
        // Awaited and its result checked, as ours is: both lines do the same work around the call.
        op: async (i, worker) => {
          const result = await redlock.using([resource(worker)], TTL_MS, async () => i);
          if (result !== i) throw new Error(`redlock's using returned ${result}, not the call's own value`);
        },
      },
      {
        id: "lock/peer/redis-semaphore",
        label: "redis-semaphore Mutex",
        role: "peer",
        library: "redis-semaphore (ioredis)",
        onRedis: true,
        op: async (_, worker) => {
          const mutex = new Mutex(semaphoreClient, resource(worker), { lockTimeout: TTL_MS });
          await mutex.acquire();
          await mutex.release();
        },
      },
    );
  }
  return [
    {
      id: "lock/redis",
      workload: "lock",
      title: "Locks (uncontended) · Redis",
      note: "Each worker locks its own resource, runs nothing, unlocks: the full cost of a lock that is free.",
      concurrency: ctx.options.concurrency,
      subjects,
      compareWith: subjects.filter((s) => s.role === "peer").map((s) => s.id),
      fill: [],
      start: 0,
    },
  ];
}
