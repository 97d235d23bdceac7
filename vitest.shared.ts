import type { ViteUserConfig } from "vitest/config";

const packagesDir = new URL("./packages/", import.meta.url).pathname;

/**
 * The vitest project every package uses: tests in `test/`, benchmarks in `bench/`.
 * Kept here so a package's own `vitest.config.ts` is one line.
 */
export function packageProject(name: string, overrides: ViteUserConfig["test"] = {}): ViteUserConfig {
  return {
    resolve: {
      // Tests import sibling packages from their source, so a change is tested without a rebuild.
      // (Private test helpers under tools/, named `test-*`, resolve through the workspace.)
      alias: [
        { find: /^@mcp-persist\/(?!test-)([a-z-]+)\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/$2.ts` },
        { find: /^@mcp-persist\/(?!test-)([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
      ],
    },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      benchmark: { include: ["bench/**/*.bench.ts"] },
      // Tests start real redis-servers, Clusters and child processes on a shared 2-core machine:
      // these are guards against hangs, not expectations of speed.
      testTimeout: 20_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  };
}
