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
  // No keepNames: it wraps every named function in a `__name(fn, "fn")` call, an
  // Object.defineProperty each time a closure is created, on every hot path (~250 ns each). Errors
  // take `name` from their class and instanceof across builds matches classes by name, so
  // tools/package-checks/test/error-names.test.ts checks that no exported error class was renamed.
});
