import { sampleScripts } from "@mcp-persist/cache-core/testing";
import { redisCommand } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";
import { storeKinds, useRedis } from "../src/index";

const redis = useRedis();
const kinds = storeKinds(redis);

describe.each(kinds.filter((kind) => kind.redis))("$name", (kind) => {
  it("gives each store a fresh key prefix, on GET/SET and script KEYS, unless told to share one", async () => {
    const [a, b] = [kind.open(), kind.open()];
    await a.set("k", "a", 60_000);
    expect(await b.get("k")).toBeUndefined();
    expect(await a.run(sampleScripts.incrWithTtl, ["n"], [1, 60_000])).toBe(1);
    expect(await b.run(sampleScripts.incrWithTtl, ["n"], [1, 60_000])).toBe(1);

    const [c, d] = [kind.open({ keyPrefix: "shared:" }), kind.open({ keyPrefix: "shared:" })];
    await c.set("k", "c", 60_000);
    expect(await d.get("k")).toBe("c");
    expect(await redisCommand(redis().port, "GET", "shared:k")).toBe("c");
  });
});
