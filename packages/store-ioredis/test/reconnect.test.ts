import { sampleScripts } from "@mcp-persist/cache-core/testing";
import { incrementAcrossReconnect, reconnectScenarios } from "@mcp-persist/test-kit";
import { expect, it } from "vitest";
import { defaultClient, ioredisKit } from "./ioredis-kit";

const { server, proxy } = reconnectScenarios(ioredisKit);

it("a plain ioredis client with default settings applies that script twice (the hazard the store prevents)", async () => {
  const net = await proxy();
  const client = defaultClient(net.url);
  const { count } = await incrementAcrossReconnect({
    server: server(),
    net,
    isReady: () => client.status === "ready",
    increment: (key) => client.eval(sampleScripts.incrWithTtl.lua, 1, key, 1, 60_000),
    barrier: () => client.ping(),
  });
  expect(count).toBe("2");
  await client.quit();
});
