import { defineConfig } from "tsup";
import base from "../../tsup.config.base";

export default defineConfig({
  ...base,
  // Beside the main entry (what an application calls): `/kit` (for authors of stores and
  // capabilities), `/testing` (the conformance kit) and `/redis` (what both Redis stores share).
  entry: ["src/index.ts", "src/kit.ts", "src/testing.ts", "src/redis.ts"],
  // Shared chunks, so every entry uses the same error classes and `instanceof` holds across them.
  splitting: true,
});
