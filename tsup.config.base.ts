import { defineConfig } from "tsup";

/** One build for every package: ESM + CJS, each with its own declaration file. */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // `@mcp-persist/internal` is never published: its code is compiled into each bundle that imports
  // it, so it adds no runtime dependency (keys, health and shutdown have none). Its declarations
  // are inlined too: tsconfig.base.json maps it to its source, not to node_modules.
  noExternal: ["@mcp-persist/internal"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  splitting: false,
  treeshake: true,
  // Class names survive bundling: errors set `name` from their class, and `instanceof` across the
  // ESM and CJS builds matches classes by name (see `PackageError` in packages/internal).
  keepNames: true,
});
