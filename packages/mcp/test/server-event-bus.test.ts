import { freshPrefix, storeKinds, useRedis, waitFor } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { createServerEventBus, type ServerEvent } from "../src/index";

const redis = useRedis();
const kinds = storeKinds(redis);

const updated = (uri: string): ServerEvent => ({ kind: "resource_updated", uri });

describe.each(kinds)("createServerEventBus on $name", (kind) => {
  it("delivers to every listener of this process at once, and to other processes' once they listen", async () => {
    const channel = `test:${freshPrefix()}`;
    const here = createServerEventBus(kind.open(), { channel });
    const there = kind.redis ? createServerEventBus(kind.open(), { channel }) : undefined;
    const heard: string[] = [];
    here.subscribe((event) => heard.push(`here-1 ${event.uri}`));
    here.subscribe((event) => heard.push(`here-2 ${event.uri}`));
    there?.subscribe((event) => heard.push(`there ${event.uri}`));
    // A subscription on Redis is in place after a round trip: publish until the other process hears.
    here.publish(updated("a"));
    expect(heard).toEqual(["here-1 a", "here-2 a"]);
    if (there !== undefined) {
      await waitFor("the other process to hear", () => {
        if (!heard.some((line) => line.startsWith("there"))) here.publish(updated("again"));
        return heard.some((line) => line.startsWith("there"));
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Our own copy coming back from the store is not delivered a second time.
    expect(heard.filter((line) => line === "here-1 a")).toHaveLength(1);
  });

  it("never echoes an event to the listener that publishes it from inside its own delivery", async () => {
    const bus = createServerEventBus(kind.open(), { channel: `test:${freshPrefix()}` });
    const heard: string[] = [];
    const relay = (event: ServerEvent) => {
      heard.push(`relay ${event.kind}`);
      if (event.kind === "resource_updated") bus.publish({ kind: "resources_list_changed" });
    };
    bus.subscribe(relay);
    bus.subscribe((event) => heard.push(`other ${event.kind}`));
    bus.publish(updated("x"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([
      "relay resource_updated",
      "other resources_list_changed",
      "other resource_updated",
    ]);
  });

  it("unsubscribes idempotently", async () => {
    const bus = createServerEventBus(kind.open(), { channel: `test:${freshPrefix()}` });
    const heard: string[] = [];
    const stop = bus.subscribe((event) => heard.push(event.kind));
    const stopOther = bus.subscribe(() => {});
    stop();
    stop();
    stopOther();
    bus.publish(updated("x"));
    const again = bus.subscribe((event) => heard.push(`again ${event.kind}`));
    bus.publish(updated("y"));
    again();
    expect(heard).toEqual(["again resource_updated"]);
  });
});
