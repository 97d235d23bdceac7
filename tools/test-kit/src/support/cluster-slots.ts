import { type RedisCluster, redisCommand } from "@mcp-persist/test-redis";

interface ClusterNodeInfo {
  id: string;
  port: number;
  owns(slot: number): boolean;
}

async function nodesOf(cluster: RedisCluster): Promise<ClusterNodeInfo[]> {
  const lines = (await redisCommand(cluster.rootNodes[0]?.port ?? 0, "CLUSTER", "NODES")).split("\n");
  return lines.map((line) => {
    // <id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>
    const [id = "", address = "", , , , , , , ...ranges] = line.trim().split(" ");
    const port = Number(address.split(":")[1]?.split("@")[0]);
    const spans = ranges.map((range) => range.split("-").map(Number));
    return { id, port, owns: (slot) => spans.some(([from = -1, to = from]) => slot >= from && slot <= to) };
  });
}

/**
 * Finds a key `${prefix}:<n>` whose slot holds no keys yet, moves that slot to another master
 * (telling every node), and returns the key and both ports. A client that cached the slot map
 * before gets MOVED from the old owner on its next command for that key.
 */
export async function moveEmptySlot(
  cluster: RedisCluster,
  prefix: string,
): Promise<{ key: string; from: number; to: number }> {
  const port = cluster.rootNodes[0]?.port ?? 0;
  const nodes = await nodesOf(cluster);
  for (let n = 0; ; n++) {
    const key = `${prefix}:${n}`;
    const slot = await redisCommand(port, "CLUSTER", "KEYSLOT", key);
    const owner = nodes.find((node) => node.owns(Number(slot)));
    const target = nodes.find((node) => node !== owner);
    if (owner === undefined || target === undefined) throw new Error(`no owner for slot ${slot}`);
    if ((await redisCommand(owner.port, "CLUSTER", "COUNTKEYSINSLOT", slot)) !== "0") continue;
    for (const node of [owner, ...nodes.filter((other) => other !== owner)]) {
      const reply = await redisCommand(node.port, "CLUSTER", "SETSLOT", slot, "NODE", target.id);
      if (reply !== "OK") throw new Error(`CLUSTER SETSLOT on ${node.port}: ${reply}`);
    }
    return { key, from: owner.port, to: target.port };
  }
}
