import { createRequire } from "node:module";
import { join } from "node:path";

/** The part of esbuild's API used here (esbuild is tsup's dependency, reached through it). */
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
        onResolve(
          options: { filter: RegExp },
          resolve: (args: { path: string }) => { path: string } | undefined,
        ): void;
      }): void;
    }[];
  }): Promise<unknown>;
}

const packages = new URL("../../../../packages/", import.meta.url).pathname;

/**
 * Bundles a TypeScript entry into one CommonJS file a child `node` process can run: worker
 * processes cannot use vitest's aliases, so `@mcp-persist/*` resolves to the packages' sources,
 * as in the tests (no stale dist), and everything else from node_modules.
 */
export async function bundleForNode(entry: string, outfile: string): Promise<void> {
  const require = createRequire(createRequire(import.meta.url).resolve("tsup"));
  const esbuild = (await import(require.resolve("esbuild"))) as Esbuild;
  await esbuild.build({
    entryPoints: [entry],
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
          // (esbuild's filters are Go regular expressions: no lookahead, so test-* is let through here.)
          build.onResolve({ filter: /^@mcp-persist\/[a-z-]+(\/[a-z-]+)?$/ }, ({ path }) => {
            const [, name = "", sub = "index"] = path.split("/");
            if (name.startsWith("test-")) return undefined;
            return { path: join(packages, name, "src", `${sub}.ts`) };
          });
        },
      },
    ],
  });
}
