import { clusterSlot } from "@mcp-persist/cache-core/kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keySlot } from "../src/index";

describe("clusterSlot", () => {
  it("gives Redis Cluster's slots for known keys", () => {
    // CLUSTER KEYSLOT on Redis 7: foo 12182, {user1000}.following 3443, the empty tag hashes it all.
    expect(clusterSlot("foo")).toBe(12182);
    expect(clusterSlot("{user1000}.following")).toBe(clusterSlot("{user1000}.followers"));
    expect(clusterSlot("{user1000}.following")).toBe(3443);
    expect(clusterSlot("foo{}{bar}")).toBe(keySlot("foo{}{bar}"));
  });

  it("agrees with the test kit's independent implementation on any key, tags and unicode included", () => {
    const part = fc.constantFrom("{", "}", ":", "é", "😀", "a", "{x}", "");
    const key = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.array(part).map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(key, (k) => clusterSlot(k) === keySlot(k)),
      { numRuns: 2000 },
    );
  });
});
