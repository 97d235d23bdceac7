import { redisCommand } from "@mcp-persist/test-redis";
import { expect, it } from "vitest";
import { exportedScripts, useRedis } from "../src/index";

const redis = useRedis();

it("every exported Lua script's stored SHA1 is what SCRIPT LOAD returns", async () => {
  const scripts = [...(await exportedScripts()).values()];
  // The scan must see every package's scripts, or it proves nothing.
  expect(scripts.map((script) => script.name)).toEqual(
    expect.arrayContaining([
      "cache-read-generation",
      "cache-bump-generation",
      "sample-incr-with-ttl",
      "lock-acquire",
      "once-begin",
      "ratelimit-gcra",
      "ratelimit-sliding-log-refund",
    ]),
  );
  for (const script of scripts) {
    expect({
      name: script.name,
      sha1: await redisCommand(redis().port, "SCRIPT", "LOAD", script.lua),
    }).toEqual({
      name: script.name,
      sha1: script.sha1,
    });
  }
});
