import { describe, expect, it } from "vitest";
import { importedPackages, installedPackages } from "../src/install-lines";

describe("installedPackages", () => {
  it("reads every npm install command: shell lines, comments, inline code; versions and flags dropped", () => {
    const readme = [
      "```sh",
      "npm install @mcp-persist/ratelimit @mcp-persist/cache-core@^1.0.0 ioredis --save # the store",
      "```",
      "// server.mjs — npm i @modelcontextprotocol/sdk zod && node server.mjs",
      "Or `npm i redis@latest` for node-redis.",
      "npm install -g pnpm@10",
    ].join("\n");
    expect([...installedPackages(readme)].sort()).toEqual([
      "@mcp-persist/cache-core",
      "@mcp-persist/ratelimit",
      "@modelcontextprotocol/sdk",
      "ioredis",
      "pnpm",
      "redis",
      "zod",
    ]);
  });
});

describe("importedPackages", () => {
  it("names the packages behind every import, without node's own modules, relative paths or commented-out lines", () => {
    const code = [
      'import { createServer } from "node:http";',
      'import { randomUUID } from "crypto";',
      'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
      'import * as z from "zod";',
      'import "./side-effect.js";',
      'const { Redis } = await import("ioredis");',
      'const lru = require("lru-cache");',
      'import { storeConformance } from "@mcp-persist/cache-core/testing";',
      '// import { ioredisStore } from "@mcp-persist/store-ioredis";',
    ].join("\n");
    expect([...importedPackages(code)].sort()).toEqual([
      "@mcp-persist/cache-core",
      "@modelcontextprotocol/sdk",
      "ioredis",
      "lru-cache",
      "zod",
    ]);
  });
});
