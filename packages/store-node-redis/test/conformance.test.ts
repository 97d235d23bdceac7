import { fileURLToPath } from "node:url";
import { conformanceScenarios, exitScenarios, runNode } from "@mcp-persist/test-kit";
import { startRedis } from "@mcp-persist/test-redis";
import { expect, it } from "vitest";
import { nodeRedisKit } from "./node-redis-kit";

conformanceScenarios(nodeRedisKit);
exitScenarios(nodeRedisKit);

/** The whole kit with real sleeps and a frozen server runs in seconds; this guards against a hang. */
const NODE_TEST_GUARD_MS = 120_000;

it(
  "the kit runs under node --test on the built package, passes, and the runner exits by itself",
  async () => {
    const server = await startRedis();
    try {
      const fixture = fileURLToPath(new URL("fixtures/conformance-under-node-test.mjs", import.meta.url));
      const child = runNode(
        ["--test", "--test-reporter=tap", fixture],
        { REDIS_URL: server.url, REDIS_PID: String(server.pid) },
        NODE_TEST_GUARD_MS,
      );
      const ended = await child.ended;
      expect(ended, ended.stdout + ended.stderr).toMatchObject({ byItself: true, code: 0 });
      expect(ended.stdout).toMatch(/^# fail 0$/m);
      expect(ended.stdout).toMatch(/close during an outage \(Redis frozen/);
    } finally {
      server.thaw();
      await server.stop();
    }
  },
  NODE_TEST_GUARD_MS + 30_000,
);
