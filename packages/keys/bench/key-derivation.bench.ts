import { argsDigest } from "@mcp-persist/keys";
import { bench, describe } from "vitest";
import { guideKey, large, medium, small, stableStringifyKey } from "./fixtures";

// Same output shape for all three: 32 hex characters of SHA-256 over a canonical form.
for (const [size, args] of Object.entries({ small, medium, large })) {
  describe(`key derivation, ${size} arguments (${JSON.stringify(args).length} B)`, () => {
    bench("@mcp-persist/keys argsDigest", () => {
      argsDigest(args);
    });
    bench("guides' deepSortKeys + JSON.stringify + sha256", () => {
      guideKey(args);
    });
    bench("safe-stable-stringify + sha256", () => {
      stableStringifyKey(args);
    });
  });
}
