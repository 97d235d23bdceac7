import { defineConfig } from "tsup";

/** One build for every package: ESM + CJS, each with its own declaration file. */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  splitting: false,
  treeshake: true,
  // Class names survive bundling: errors set `name` from their class, and `instanceof` across the
  // ESM and CJS builds matches classes by name (see McpPersistError's Symbol.hasInstance).
  keepNames: true,
});
