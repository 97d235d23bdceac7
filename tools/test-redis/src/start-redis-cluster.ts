import { setTimeout as sleep } from "node:timers/promises";
import { RedisHarnessError } from "./errors";
import { redisCommand, runRedisCli } from "./redis-command";
import { type RedisServer, startRedis } from "./start-redis";

/** How long the nodes may take to agree on the slot map after `--cluster create`. */
const CLUSTER_READY_TIMEOUT_MS = 10_000;

export interface RedisCluster {
  /** The masters, one redis-server each. */
  readonly nodes: RedisServer[];
  /** `{ host, port }` of every master: what `new Cluster(...)` / `createCluster({ rootNodes })` want. */
  readonly rootNodes: { host: string; port: number }[];
  /** Stops every node (graceful, idempotent). */
  stop(): Promise<void>;
}

export interface StartRedisClusterOptions {
  /**
   * Number of masters (no replicas). Redis needs at least 3.
   * @default 3
   */
  masters?: number;
}

async function waitForClusterOk(nodes: RedisServer[]): Promise<void> {
  const deadline = Date.now() + CLUSTER_READY_TIMEOUT_MS;
  let last = "";
  while (Date.now() < deadline) {
    const infos = await Promise.all(nodes.map((node) => redisCommand(node.port, "CLUSTER", "INFO")));
    if (infos.every((info) => info.includes("cluster_state:ok"))) return;
    last = infos.join("\n---\n");
    await sleep(50);
  }
  throw new RedisHarnessError(
    "REDIS_CLUSTER_FAILED",
    `the cluster did not reach cluster_state:ok within ${CLUSTER_READY_TIMEOUT_MS} ms:\n${last}`,
  );
}

/**
 * Starts `masters` cluster-enabled redis-servers, joins them with `redis-cli --cluster create`
 * (all 16384 slots, no replicas) and resolves once every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3) {
    throw new RedisHarnessError(
      "REDIS_CLUSTER_FAILED",
      `a Redis Cluster needs at least 3 masters, got ${masters}`,
    );
  }
  const started = await Promise.allSettled(
    Array.from({ length: masters }, () =>
      startRedis({
        // nodes.conf lands in the node's own temp dir (--dir), so a restart() rejoins the cluster.
        args: [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          "2000",
        ],
      }),
    ),
  );
  const nodes = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    const failed = started.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    await runRedisCli(
      [
        "--cluster",
        "create",
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        "--cluster-replicas",
        "0",
        "--cluster-yes",
      ],
      30_000,
    );
    await waitForClusterOk(nodes);
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, rootNodes: nodes.map((node) => ({ host: node.host, port: node.port })), stop };
}
