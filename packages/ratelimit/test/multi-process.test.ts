import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { useBundle, useRedis } from "@mcp-persist/test-kit";
import { afterAll, beforeAll, expect, it } from "vitest";

const WORKERS = 3;
const CHECKS_EACH = 25;

const redis = useRedis();
const bundle = useBundle(new URL("./fixtures/worker.ts", import.meta.url));

/** The child's stdout, a line at a time (a line printed while nobody waits is kept, not lost). */
function linesOf(child: ChildProcess): () => Promise<string> {
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> })[
    Symbol.asyncIterator
  ]();
  return async () => String((await lines.next()).value);
}

it("three processes (ioredis and node-redis) sharing one Redis admit exactly the limit in total", async () => {
  const prefix = randomUUID();
  const children = Array.from({ length: WORKERS }, (_, i) =>
    spawn(
      process.execPath,
      [bundle(), redis().url, prefix, i % 2 === 0 ? "ioredis" : "node-redis", String(CHECKS_EACH)],
      {
        stdio: ["pipe", "pipe", "inherit"],
      },
    ),
  );
  const nextLine = children.map(linesOf);
  const exits = children.map((child) => once(child, "exit"));
  try {
    expect(await Promise.all(nextLine.map((next) => next()))).toEqual(["ready", "ready", "ready"]);
    for (const child of children) child.stdin?.end("go\n");
    const reports = (await Promise.all(nextLine.map((next) => next()))).map(
      (line) => JSON.parse(line) as Record<string, number>,
    );
    for (const algorithm of ["sliding-log", "sliding-window", "gcra"]) {
      const total = reports.reduce((sum, report) => sum + (report[algorithm] ?? 0), 0);
      expect(total, algorithm).toBe(30);
    }
    expect((await Promise.all(exits)).map(([code]) => code)).toEqual([0, 0, 0]);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}, 20_000);
