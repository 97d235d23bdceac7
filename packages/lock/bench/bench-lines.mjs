// The lines the lock benchmarks compare (lock-loop.mjs, profile-uncontended.mjs): each opens its
// own connection to `url` and returns one uncontended lock-and-release, `(i, worker) => Promise`.
//
// ioredis, node-redis: withLock on each store. redlock, redis-semaphore: those libraries, on
// ioredis. raw-ioredis, raw-node-redis: withLock's two scripts sent straight through the client,
// with the same keys and arguments and no store: what the client alone costs.
import { lockScripts, withLock } from "@mcp-persist/lock";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { Mutex } from "redis-semaphore";
import Redlock from "redlock";

export const LINES = ["ioredis", "node-redis", "redlock", "redis-semaphore", "raw-ioredis", "raw-node-redis"];
const TTL_MS = 10_000;

/**
 * Opens `line` on `url`; `close()` ends its connection. `namespace` prefixes every key and lock
 * resource, with the process id and the worker: workers never contend.
 */
export async function openLine(line, url, namespace) {
  const resource = (worker) => `${namespace}-${process.pid}-w${worker}`;
  if (line === "ioredis" || line === "node-redis") {
    const client =
      line === "ioredis"
        ? new Redis(url, { enableOfflineQueue: false, lazyConnect: true })
        : createClient({ url, disableOfflineQueue: true });
    await client.connect();
    const store = line === "ioredis" ? ioredisStore({ client }) : nodeRedisStore({ client });
    return {
      op: async (i, worker) => {
        const result = await withLock(store, resource(worker), () => i, { ttlMs: TTL_MS, namespace });
        if (result.status !== "ran")
          throw new Error(`withLock was ${result.status} on an uncontended resource`);
      },
      close: async () => {
        await store.close();
        await (line === "ioredis" ? client.quit() : client.close());
      },
    };
  }
  if (line === "raw-ioredis" || line === "raw-node-redis") return openRaw(line, url, resource);
  if (line === "redlock" || line === "redis-semaphore") {
    const client = new Redis(url);
    const close = () => client.quit();
    if (line === "redlock") {
      const redlock = new Redlock([client]);
      return {
        op: (i, worker) => redlock.using([`redlock-${resource(worker)}`], TTL_MS, async () => i),
        close,
      };
    }
    return {
      op: async (_, worker) => {
        const mutex = new Mutex(client, `semaphore-${resource(worker)}`, { lockTimeout: TTL_MS });
        await mutex.acquire();
        await mutex.release();
      },
      close,
    };
  }
  throw new Error(`unknown line ${line}: one of ${LINES.join(", ")}`);
}

async function openRaw(line, url, resource) {
  const { acquire, release } = lockScripts;
  const keys = (worker) => [`raw:lock:{${resource(worker)}}`, `raw:lock:{${resource(worker)}}:fence`];
  if (line === "raw-ioredis") {
    const client = new Redis(url, { enableOfflineQueue: false, lazyConnect: true });
    await client.connect();
    await client.script("LOAD", acquire.lua);
    await client.script("LOAD", release.lua);
    return {
      op: async (i, worker) => {
        const [lock, fence] = keys(worker);
        const token = `t${i}`;
        await client.evalsha(acquire.sha1, 2, lock, fence, token, String(TTL_MS), "604800000");
        await client.evalsha(release.sha1, 1, lock, token);
      },
      close: () => client.quit(),
    };
  }
  const client = createClient({ url, disableOfflineQueue: true });
  await client.connect();
  await client.scriptLoad(acquire.lua);
  await client.scriptLoad(release.lua);
  return {
    op: async (i, worker) => {
      const [lock, fence] = keys(worker);
      const token = `t${i}`;
      await client.evalSha(acquire.sha1, {
        keys: [lock, fence],
        arguments: [token, String(TTL_MS), "604800000"],
      });
      await client.evalSha(release.sha1, { keys: [lock], arguments: [token] });
    },
    close: () => client.close(),
  };
}
