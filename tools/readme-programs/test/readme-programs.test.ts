import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RedisServer, redisCommand, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importedPackages, installedPackages } from "../src/install-lines";
import { programPath, typecheckPrograms, writePrograms } from "../src/program-files";
import { readmeBlocks } from "../src/readme-blocks";
import { runBlock } from "../src/run-block";

// Every ts/js block of every README runs as written, against the built packages (`pnpm test`
// builds first) and a real redis-server; TypeScript blocks also compile under --strict. A block
// that is not a whole program says so in the README: <!-- fragment: why --> above its fence.

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const blocks = await readmeBlocks(repoRoot);
const programs = blocks.filter((b) => b.fragment === undefined);

let redis: RedisServer;
let diagnostics: Map<string, string[]>;
beforeAll(async () => {
  redis = await startRedis();
  await writePrograms(programs);
  diagnostics = await typecheckPrograms(programs);
}, 120_000);
afterAll(() => redis?.stop());
// Each program starts from an empty Redis, as it would on a reader's machine.
beforeEach(async () => {
  await redisCommand(redis.port, "FLUSHALL");
});

it("every package README opens with a program, not a fragment", () => {
  const first = new Map<string, (typeof blocks)[number]>();
  for (const block of blocks) if (!first.has(block.readme)) first.set(block.readme, block);
  const opening = [...first.values()]
    .filter((b) => b.readme.startsWith("packages/"))
    .map((b) => ({ readme: b.readme, line: b.line, fragment: b.fragment }));
  expect(opening.length).toBeGreaterThan(0);
  expect(opening.filter((b) => b.fragment !== undefined)).toEqual([]);
});

// What a reader installs is what the README says to install: every package a program imports
// (the test runner of a conformance-kit example aside) appears in one of its `npm install`s.
const published = [...new Set(programs.map((b) => b.readme))].filter((r) => !r.startsWith("tools/"));
it.each(published)("%s names every package its programs import in an npm install command", async (readme) => {
  const installed = installedPackages(await readFile(join(repoRoot, readme), "utf8"));
  const imported = new Set(
    programs.filter((b) => b.readme === readme).flatMap((b) => [...importedPackages(b.code)]),
  );
  imported.delete("vitest");
  expect([...imported].filter((name) => !installed.has(name))).toEqual([]);
});

describe.each(programs.map((b) => [`${b.readme}:${b.line} (${b.lang}, ${b.kind})`, b] as const))(
  "%s",
  (_, block) => {
    if (block.lang === "ts") {
      it("compiles under tsc --strict", () => {
        expect(diagnostics.get(programPath(block))).toEqual([]);
      });
    }
    it("runs as written", async () => {
      expect(await runBlock(block, { redisUrl: redis.url })).toEqual([]);
    });
  },
);
