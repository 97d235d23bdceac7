import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Script } from "@mcp-persist/cache-core";

const packagesDir = new URL("../../../packages/", import.meta.url).pathname;

function isScript(value: unknown): value is Script {
  const candidate = value as Partial<Script> | null;
  return typeof candidate?.lua === "string" && typeof candidate.sha1 === "string";
}

/**
 * Every script exported by any source module of any package, also inside exported objects (such
 * as `lockScripts` or `sampleScripts`), by name. What the hash check and the parity check must
 * cover: a new script is found here without anyone listing it.
 */
export async function exportedScripts(): Promise<Map<string, Script>> {
  const found = new Map<string, Script>();
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
      for (const candidate of candidates) if (isScript(candidate)) found.set(candidate.name, candidate);
    }
  }
  return found;
}
