import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { bundleForNode } from "./support/bundle-for-node";

/**
 * A worker entry (a TypeScript file a child `node` process runs) bundled once for the calling test
 * file: in `beforeAll`, into a temp dir removed in `afterAll`. Returns a getter for the bundle's
 * path, to read inside tests and hooks. Call at collection time.
 */
export function useBundle(entry: URL): () => string {
  let dir: string | undefined;
  let bundle: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcp-persist-bundle-"));
    bundle = join(dir, `${basename(entry.pathname, ".ts")}.cjs`);
    await bundleForNode(entry.pathname, bundle);
  }, 60_000);
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (bundle === undefined) {
      throw new Error(
        "[@mcp-persist/test-kit] the bundle is made in beforeAll: read it inside a test or hook",
      );
    }
    return bundle;
  };
}
