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
});
