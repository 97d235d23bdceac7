import { setTimeout as sleep } from "node:timers/promises";
import { RedisHarnessError } from "./errors";
import { redisCommand, runRedisCli } from "./redis-command";
import { type RedisServer, startRedis } from "./start-redis";

/** How long the nodes may take to agree on the slot map after `--cluster create`. */
const CLUSTER_READY_TIMEOUT_MS = 10_000;

export interface RedisCluster {
  /** The masters as created, one redis-server each (after a failover, a replica may serve in one's place). */
  readonly nodes: RedisServer[];
  /** The replicas as created (`replicas` per master), empty by default. */
  readonly replicas: RedisServer[];
  /** `{ host, port }` of every master: what `new Cluster(...)` / `createCluster({ rootNodes })` want. */
  readonly rootNodes: { host: string; port: number }[];
  /** The node serving `slot` now, as the cluster's own slot map says (it moves on a failover). */
  nodeForSlot(slot: number): Promise<RedisServer>;
  /** Stops every node (graceful, idempotent). */
  stop(): Promise<void>;
}

export interface StartRedisClusterOptions {
  /**
   * Number of masters (no replicas). Redis needs at least 3.
   * @default 3
   */
  masters?: number;
  /**
   * Replicas per master, for failover tests: a master SIGKILLed is replaced by its replica once
   * the others mark it failed (`cluster-node-timeout` is 2 s here).
   * @default 0
   */
  replicas?: number;
  /** Extra `redis-server` arguments for every node, e.g. `["--cluster-require-full-coverage", "no"]`. */
  args?: string[];
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
  const replicas = options.replicas ?? 0;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new RedisHarnessError("REDIS_CLUSTER_FAILED", `replicas must be a whole number, got ${replicas}`);
  }
  const started = await Promise.allSettled(
    Array.from({ length: masters * (1 + replicas) }, () =>
      startRedis({
        // nodes.conf lands in the node's own temp dir (--dir), so a restart() rejoins the cluster.
        args: [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          "2000",
          ...(options.args ?? []),
        ],
      }),
    ),
  );
  const all = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stop = async () => {
    await Promise.all(all.map((node) => node.stop()));
  };
  try {
    const failed = started.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    await runRedisCli(
      [
        "--cluster",
        "create",
        ...all.map((node) => `127.0.0.1:${node.port}`),
        "--cluster-replicas",
        String(replicas),
        "--cluster-yes",
      ],
      30_000,
    );
    await waitForClusterOk(all);
    if (replicas > 0) await waitForReplicasInSync(all);
  } catch (error) {
    await stop();
    throw error;
  }
  const roles = await Promise.all(all.map((node) => redisCommand(node.port, "ROLE")));
  const nodes = all.filter((_, i) => roles[i]?.startsWith("master"));
  const nodeForSlot = async (slot: number): Promise<RedisServer> => {
    for (const node of all) {
      const reply = await redisCommand(node.port, "CLUSTER", "NODES").catch(() => "");
      const port = masterPortForSlot(reply, slot);
      if (port !== undefined) {
        const found = all.find((candidate) => candidate.port === port);
        if (found !== undefined) return found;
      }
    }
    throw new RedisHarnessError("REDIS_CLUSTER_FAILED", `no reachable node knows who serves slot ${slot}`);
  };
  return {
    nodes,
    replicas: all.filter((node) => !nodes.includes(node)),
    rootNodes: nodes.map((node) => ({ host: node.host, port: node.port })),
    nodeForSlot,
    stop,
  };
}

/** Waits until every replica reports its link to its master up: a failover then has data to serve. */
async function waitForReplicasInSync(nodes: RedisServer[]): Promise<void> {
  const deadline = Date.now() + CLUSTER_READY_TIMEOUT_MS;
  for (;;) {
    const infos = await Promise.all(nodes.map((node) => redisCommand(node.port, "INFO", "replication")));
    const replicas = infos.filter((info) => info.includes("role:slave"));
    if (replicas.length > 0 && replicas.every((info) => info.includes("master_link_status:up"))) return;
    if (Date.now() > deadline) {
      throw new RedisHarnessError("REDIS_CLUSTER_FAILED", `replicas did not sync:\n${infos.join("\n---\n")}`);
    }
    await sleep(50);
  }
}

/**
 * The port of the master serving `slot` in a `CLUSTER NODES` reply, if the reply names a live one.
 * Each line: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>`.
 */
function masterPortForSlot(nodesReply: string, slot: number): number | undefined {
  for (const line of nodesReply.split("\n")) {
    const [, address = "", flags = "", , , , , , ...ranges] = line.trim().split(" ");
    if (!flags.split(",").includes("master") || flags.includes("fail")) continue;
    const serves = ranges.some((range) => {
      const [from = "", to = from] = range.split("-");
      return Number(from) <= slot && slot <= Number(to);
    });
    if (serves) return Number(address.split("@")[0]?.split(":")[1]);
  }
  return undefined;
}
