import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  /** 1-minute load average at the start and end: above the CPU count, other work shared the machine. */
  loadAverage: { start: number; end?: number };
  platform: string;
  node: string;
  redisServer?: string;
  /** Versions of the packages measured, as installed. */
  packages: Record<string, string>;
}

const PACKAGES = [
  "@mcp-persist/cache-core",
  "@mcp-persist/keys",
  "@mcp-persist/store-lru",
  "@mcp-persist/store-ioredis",
  "@mcp-persist/store-node-redis",
  "@mcp-persist/ratelimit",
  "@mcp-persist/lock",
  "ioredis",
  "redis",
  "lru-cache",
  "cache-manager",
  "keyv",
  "@keyv/redis",
  "bentocache",
  "rate-limiter-flexible",
  "redlock",
  "redis-semaphore",
];

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    cpuCount: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: { start: loadavg()[0] ?? 0 },
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    packages: packageVersions(),
  };
}

function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      versions[name] = versionAbove(require.resolve(name), name);
    } catch {
      versions[name] = "not installed";
    }
  }
  return versions;
}

/** Not every package exports its package.json: walk up from its entry point to the one naming it. */
function versionAbove(entry: string, name: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === name) return manifest.version ?? "unknown";
    } catch {
      // No package.json at this level.
    }
  }
  return "unknown";
}
