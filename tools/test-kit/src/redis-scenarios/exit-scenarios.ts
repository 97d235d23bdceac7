import { pingRedis, type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";
import { runNode } from "../support/node-process";
import type { RedisStoreKit } from "./redis-store-kit";

const fixture = new URL("../../fixtures/close-then-exit.mjs", import.meta.url).pathname;

/** The fixture's process closes its store in well under a second; this only guards against a hang. */
const EXIT_GUARD_MS = 10_000;

/** When the process closes its store, and what happens to Redis first. */
const scenarios: Record<
  string,
  { close: "now" | "after-outage"; outage?: (server: RedisServer) => unknown }
> = {
  "right after creating it, before its first connection": { close: "now" },
  "right after creating it, with Redis frozen (its first connection never completes)": {
    close: "now",
    outage: (server) => server.freeze(),
  },
  "while Redis is frozen (SIGSTOP), with calls in flight": {
    close: "after-outage",
    outage: (server) => server.freeze(),
  },
  "after Redis was killed, with calls in flight": {
    close: "after-outage",
    outage: (server) => server.kill(),
  },
};

/**
 * The promise `close()` makes to an application: afterwards the process exits by itself. Checked
 * for real, in a child process running the built package against a real server.
 */
export function exitScenarios(kit: RedisStoreKit): void {
  describe("a process that closes its store exits by itself", () => {
    it.each(Object.entries(scenarios))("closing it %s", async (_, { close, outage }) => {
      const server = await startRedis();
      try {
        if (close === "now") await outage?.(server);
        const child = runNode(
          [fixture],
          {
            STORE_MODULE: kit.built.module.href,
            STORE_FACTORY: kit.built.factory,
            STORE_OPTIONS: JSON.stringify({ connection: server.url }),
            CLOSE: close,
          },
          EXIT_GUARD_MS,
        );
        if (close === "after-outage") {
          await child.printed("connected");
          await outage?.(server);
          child.endInput();
        }
        const ended = await child.ended;
        expect(ended, ended.stderr).toMatchObject({ byItself: true, code: 0 });
        expect(ended.stdout).toContain("closed");
        // The outage still lasts: the store let go without waiting for Redis to come back.
        if (outage !== undefined) expect(await pingRedis(server.port, 200)).toBe(false);
      } finally {
        server.thaw();
        await server.stop();
      }
    });
  });
}
