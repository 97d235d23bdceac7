import { defineConfig } from "tsup";
import base from "../../tsup.config.base";

export default defineConfig({
  ...base,
  // `@mcp-persist/cache-core/testing` (the conformance kit) and `@mcp-persist/cache-core/redis`
  // (what both Redis stores share) beside the main entry.
  entry: ["src/index.ts", "src/testing.ts", "src/redis.ts"],
  // Shared chunks, so every entry uses the same error classes and `instanceof` holds across them.
  splitting: true,
});
