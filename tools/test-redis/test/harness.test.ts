import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  freePort,
  pingRedis,
  RedisHarnessError,
  redisCommand,
  runningRedisPids,
  startRedis,
  startRedisCluster,
} from "../src/index";
import { spawnRedis } from "../src/spawn-redis";

const repoRoot = new URL("../../../", import.meta.url).pathname;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A SIGKILLed child is reaped asynchronously; give the kernel a moment before asserting. */
async function waitUntilGone(pid: number, withinMs = 5000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(20);
  }
  return false;
}

describe("startRedis", () => {
  it("starts a real server on a free loopback port and stop() removes the process and its dir", async () => {
    const redis = await startRedis();
    try {
      expect(redis.host).toBe("127.0.0.1");
      expect(redis.port).not.toBe(6379);
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(runningRedisPids()).toContain(redis.pid);
      expect(await redisCommand(redis.port, "SET", "k", "v")).toBe("OK");
      expect(await redisCommand(redis.port, "GET", "k")).toBe("v");
      const dir = (await redisCommand(redis.port, "CONFIG", "GET", "dir")).split("\n")[1] ?? "";
      expect(existsSync(dir)).toBe(true);
      expect(await redisCommand(redis.port, "CONFIG", "GET", "save")).toBe("save");
      expect(await redisCommand(redis.port, "CONFIG", "GET", "appendonly")).toBe("appendonly\nno");

      await redis.stop();
      expect(isAlive(redis.pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
      expect(runningRedisPids()).not.toContain(redis.pid);
      await expect(redis.stop()).resolves.toBeUndefined();
    } finally {
      await redis.stop();
    }
  });

  it("passes extra arguments to redis-server", async () => {
    const redis = await startRedis({ args: ["--maxmemory", "10mb"] });
    try {
      expect(await redisCommand(redis.port, "CONFIG", "GET", "maxmemory")).toBe("maxmemory\n10485760");
    } finally {
      await redis.stop();
    }
  });

  it("kill() crashes the server and restart() brings it back on the same port", async () => {
    const redis = await startRedis();
    try {
      const { port, pid: firstPid } = redis;
      await redis.kill();
      expect(isAlive(firstPid)).toBe(false);
      expect(await pingRedis(port, 500)).toBe(false);

      await redis.restart();
      expect(redis.port).toBe(port);
      expect(redis.pid).not.toBe(firstPid);
      expect(await pingRedis(port, 1000)).toBe(true);
      // No persistence: a crash loses the data, as a test of a Redis outage expects.
      expect(await redisCommand(port, "DBSIZE")).toBe("0");
    } finally {
      await redis.stop();
    }
  });

  it("freeze() makes PING time out while connections are still accepted; thaw() answers again", async () => {
    const redis = await startRedis();
    try {
      redis.freeze();
      const started = Date.now();
      expect(await pingRedis(redis.port, 300)).toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250); // it waited: no refusal, no reset
      redis.thaw();
      expect(await pingRedis(redis.port, 2000)).toBe(true);

      redis.freeze();
      await redis.stop(); // stop() of a frozen server must not hang
      expect(isAlive(redis.pid)).toBe(false);
    } finally {
      await redis.stop();
    }
  });

  it("freePort() returns a bindable loopback port", async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    await new Promise((resolve) => server.close(resolve));
    expect(port).toBeGreaterThan(0);
  });

  it("reports a taken port as REDIS_PORT_IN_USE, even when another redis answers on it", async () => {
    const other = await startRedis();
    const dir = await mkdtemp(join(tmpdir(), "test-redis-race-"));
    try {
      const attempt = spawnRedis(other.port, dir, []);
      await expect(attempt).rejects.toMatchObject({ code: "REDIS_PORT_IN_USE" });
      expect(await pingRedis(other.port)).toBe(true);
    } finally {
      await other.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fails with an install hint when redis-server is not on PATH", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const failure = await startRedis().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RedisHarnessError);
      expect(failure).toMatchObject({ code: "REDIS_NOT_INSTALLED" });
      expect((failure as Error).message).toContain("bash tools/test-redis/ensure-redis-server.sh");
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("cleanup when the test process dies", () => {
  it("kills the servers of a worker that was SIGKILLed (no exit handler ran)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "test-redis-orphan-"));
    try {
      // Bundle the harness so a plain node process (standing in for a test worker) can use it.
      // (esbuild is reached through tsup, the root build tool that depends on it.)
      const fromTsup = createRequire(createRequire(join(repoRoot, "package.json")).resolve("tsup"));
      const esbuild = fromTsup("esbuild") as { build(options: object): Promise<unknown> };
      await esbuild.build({
        entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
        bundle: true,
        platform: "node",
        format: "esm",
        outfile: join(dir, "harness.mjs"),
        logLevel: "silent",
      });
      await writeFile(
        join(dir, "worker.mjs"),
        `import { startRedis } from "./harness.mjs";
         const redis = await startRedis();
         process.stdout.write(JSON.stringify({ pid: redis.pid, port: redis.port }) + "\\n");
         setInterval(() => {}, 1000);`,
      );
      const worker = spawn(process.execPath, [join(dir, "worker.mjs")], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const line = await new Promise<string>((resolve) =>
        worker.stdout.once("data", (d: Buffer) => resolve(String(d))),
      );
      const { pid, port } = JSON.parse(line) as { pid: number; port: number };
      expect(await pingRedis(port)).toBe(true);

      worker.kill("SIGKILL");
      expect(await waitUntilGone(pid)).toBe(true);
      expect(await pingRedis(port, 500)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("startRedisCluster", () => {
  it("forms a 3-master cluster that serves redirected commands, and stop() leaves no process", async () => {
    const cluster = await startRedisCluster();
    const pids = cluster.nodes.map((node) => node.pid);
    try {
      expect(cluster.nodes).toHaveLength(3);
      expect(cluster.rootNodes).toEqual(
        cluster.nodes.map((node) => ({ host: "127.0.0.1", port: node.port })),
      );
      for (const node of cluster.nodes) {
        const info = await redisCommand(node.port, "CLUSTER", "INFO");
        expect(info).toContain("cluster_state:ok");
        expect(info).toContain("cluster_slots_assigned:16384");
        expect(info).toContain("cluster_known_nodes:3");
      }
      const first = cluster.nodes[0]?.port ?? 0;
      for (const key of ["a", "b", "c", "d", "e", "f"]) {
        expect(await redisCommand(first, "-c", "SET", key, key)).toBe("OK");
      }
      const sizes = await Promise.all(cluster.nodes.map((node) => redisCommand(node.port, "DBSIZE")));
      expect(sizes.map(Number).reduce((a, b) => a + b, 0)).toBe(6);
    } finally {
      await cluster.stop();
    }
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(runningRedisPids().filter((pid) => pids.includes(pid))).toEqual([]);
  });

  it("with replicas: a SIGKILLed master's slots move to its replica, and nodeForSlot follows", async () => {
    const cluster = await startRedisCluster({ replicas: 1 });
    try {
      expect(cluster.nodes).toHaveLength(3);
      expect(cluster.replicas).toHaveLength(3);
      const before = await cluster.nodeForSlot(0);
      expect(cluster.nodes).toContain(before);
      await before.kill();
      const deadline = Date.now() + 30_000;
      let after = before;
      while (after === before && Date.now() < deadline) {
        await sleep(200);
        after = await cluster.nodeForSlot(0).catch(() => before);
      }
      expect(cluster.replicas).toContain(after);
      expect(await redisCommand(after.port, "ROLE")).toMatch(/^master/);
    } finally {
      await cluster.stop();
    }
  }, 60_000);

  it("rejects fewer than 3 masters", async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toMatchObject({ code: "REDIS_CLUSTER_FAILED" });
  });
});
