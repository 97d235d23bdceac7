import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Script } from "@mcp-persist/cache-core";
import { type RedisServer, redisCommand, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, expect, it } from "vitest";

const packagesDir = new URL("../../", import.meta.url).pathname;

function isScript(value: unknown): value is Script {
  const candidate = value as Partial<Script> | null;
  return typeof candidate?.lua === "string" && typeof candidate.sha1 === "string";
}

/** Every script exported by any module of any package (also inside exported objects such as `sampleScripts`). */
async function exportedScripts(): Promise<Script[]> {
  const found = new Set<Script>();
  for (const entry of await readdir(packagesDir, { recursive: true })) {
    if (!/^[^/]+\/src\/.*\.ts$/.test(entry)) continue;
    const path = join(packagesDir, entry);
    if (!(await readFile(path, "utf8")).includes("lua")) continue;
    const module: Record<string, unknown> = await import(path);
    for (const value of Object.values(module)) {
      const candidates = isScript(value)
        ? [value]
        : typeof value === "object" && value !== null
          ? Object.values(value)
          : [];
      for (const candidate of candidates) if (isScript(candidate)) found.add(candidate);
    }
  }
  return [...found];
}

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

it("every exported Lua script's stored SHA1 is what SCRIPT LOAD returns", async () => {
  const scripts = await exportedScripts();
  // The scan must see the cache's own scripts and the conformance kit's, or it proves nothing.
  expect(scripts.map((script) => script.name)).toEqual(
    expect.arrayContaining(["cache-read-generation", "cache-bump-generation", "sample-incr-with-ttl"]),
  );
  for (const script of scripts) {
    expect({
      name: script.name,
      sha1: await redisCommand(server.port, "SCRIPT", "LOAD", script.lua),
    }).toEqual({
      name: script.name,
      sha1: script.sha1,
    });
  }
});
