import { redisCommand } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";
import { lockScripts } from "../src/index";
import { SCENARIO_REPLIES, scriptScenario } from "./support/script-scenario";
import { lruKind, redisKinds, storeTracker, useRedis } from "./support/stores";

const redis = useRedis();

describe("lock scripts", () => {
  const open = storeTracker();

  it.each(Object.values(lockScripts))("$name: the stored SHA1 is the one Redis computes", async (script) => {
    expect(await redisCommand(redis().port, "SCRIPT", "LOAD", script.lua)).toBe(script.sha1);
  });

  it.each(redisKinds(() => redis().url))(
    "Lua on $name and JS on lru reply alike on every path",
    async (kind) => {
      const lua = await scriptScenario(open(kind));
      expect(lua).toEqual(await scriptScenario(open(lruKind)));
      expect(lua).toEqual(SCENARIO_REPLIES);
    },
  );
});
