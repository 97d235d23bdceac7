import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { useRedis } from "@mcp-persist/test-kit";
import { afterAll, beforeAll, expect, it } from "vitest";

const WORKERS = 3;
const CHECKS_EACH = 25;

const redis = useRedis();
let dir: string;
let bundle: string;

/** The part of esbuild's API used here (it is tsup's dependency, not this package's). */
interface Esbuild {
  build(options: {
    entryPoints: string[];
    outfile: string;
    bundle: true;
    platform: "node";
    format: "cjs";
    target: string;
    logLevel: "silent";
    plugins: {
      name: string;
      setup(build: {
        onResolve(options: { filter: RegExp }, resolve: (args: { path: string }) => { path: string }): void;
      }): void;
    }[];
  }): Promise<unknown>;
}

/**
 * Worker processes run plain JavaScript, so the worker is bundled first with esbuild (the one tsup
 * builds with), resolving `@mcp-persist/*` to the packages' sources as the tests do.
 */
async function bundleWorker(outfile: string): Promise<void> {
  const require = createRequire(createRequire(import.meta.url).resolve("tsup"));
  const esbuild = (await import(require.resolve("esbuild"))) as Esbuild;
  const packages = new URL("../../", import.meta.url).pathname;
  await esbuild.build({
    entryPoints: [new URL("./fixtures/worker.ts", import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "silent",
    plugins: [
      {
        name: "workspace-sources",
        setup(build) {
          build.onResolve({ filter: /^@mcp-persist\/[a-z-]+(\/[a-z-]+)?$/ }, ({ path }) => {
            const [, name = "", sub = "index"] = path.split("/");
            return { path: join(packages, name, "src", `${sub}.ts`) };
          });
        },
      },
    ],
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ratelimit-workers-"));
  bundle = join(dir, "worker.cjs");
  await bundleWorker(bundle);
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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
      [bundle, redis().url, prefix, i % 2 === 0 ? "ioredis" : "node-redis", String(CHECKS_EACH)],
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
