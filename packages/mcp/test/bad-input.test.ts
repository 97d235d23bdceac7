import { randomUUID } from "node:crypto";
import { CodecError, InvalidOptionError, type Logger } from "@mcp-persist/cache-core";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import {
  createEventStore,
  createServerEventBus,
  createSessionState,
  EventReplayError,
  McpArgumentError,
  type McpEventStore,
} from "../src/index";

// Arguments no SDK transport would pass, found by tools/fuzz (P3–P9): each is refused with a typed
// error before anything is stored or delivered, and never passes for a store outage.

const redis = useRedis();
const kinds = storeKinds(redis);
const lru = kinds[0] as (typeof kinds)[number];

/** A logger that keeps every record, by level. */
function recordingLogger() {
  const records: { level: string; event: unknown }[] = [];
  const at =
    (level: string) =>
    (obj: unknown): void =>
      void records.push({ level, event: (obj as { event?: unknown }).event });
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, records };
}

/** Replays after `id`, collecting the messages sent. */
async function replay(events: McpEventStore, id: string) {
  const sent: unknown[] = [];
  await events.replayEventsAfter(id, { send: async (_, message) => void sent.push(message) });
  return sent;
}

const cycle = () => {
  const value: Record<string, unknown> = { jsonrpc: "2.0" };
  value.self = value;
  return value;
};

/** An object every trap of which throws: a name or id that cannot even be read. */
const hostile = new Proxy(
  {},
  {
    get: () => {
      throw new Error("trap");
    },
    ownKeys: () => {
      throw new Error("trap");
    },
  },
);

const argumentError = { name: "McpArgumentError", code: "ERR_INVALID_ARGUMENT" };

describe.each(kinds)("createEventStore on $name, given what no transport passes", (kind) => {
  it("stores and replays a stream whose id holds lone surrogates, apart from its U+FFFD look-alike", async () => {
    const events = createEventStore(kind.open(), { namespace: randomUUID(), followMs: 0 });
    const streams = ["\uD800c", "\uFFFDc", "a\uDE00", "\uD83D", "%uD83D", "\uD83D\uDE00"];
    const primed = await Promise.all(streams.map((stream) => events.storeEvent(stream, {})));
    for (const [n, stream] of streams.entries()) await events.storeEvent(stream, { n });
    expect(new Set(primed).size).toBe(streams.length);
    for (const [n, stream] of streams.entries()) {
      expect(await events.getStreamIdForEventId(primed[n] as string)).toBe(stream);
      expect(await replay(events, primed[n] as string)).toEqual([{ n }]);
    }
  });

  it("refuses a message whose JSON is not an object's, so later replays of its stream still work", async () => {
    const events = createEventStore(kind.open(), { namespace: randomUUID(), followMs: 0 });
    const primed = await events.storeEvent("s", {});
    for (const message of [() => 1, { toJSON: () => undefined }, { toJSON: () => "x" }, new Date(0)]) {
      await expect(events.storeEvent("s", message)).rejects.toMatchObject(argumentError);
    }
    await events.storeEvent("s", { jsonrpc: "2.0", method: "good" });
    expect(await replay(events, primed)).toEqual([{ jsonrpc: "2.0", method: "good" }]);
  });

  it("refuses a message JSON cannot write, or that is not an object, without pausing the store", async () => {
    const { logger, records } = recordingLogger();
    const events = createEventStore(kind.open(), { namespace: randomUUID(), followMs: 0, logger });
    for (const message of ["x", 5, null, undefined, { id: 1n }, cycle()]) {
      const refused = events.storeEvent("s", message as never);
      await expect(refused).rejects.toBeInstanceOf(McpArgumentError);
    }
    // Not an outage: no warning, and the next event of any stream is stored (it replays).
    const primed = await events.storeEvent("other", {});
    await events.storeEvent("other", { jsonrpc: "2.0", method: "after" });
    expect(await replay(events, primed)).toEqual([{ jsonrpc: "2.0", method: "after" }]);
    expect(records.filter((record) => record.event === "mcp_event_not_stored")).toEqual([]);
  });
});

describe("createEventStore, given bad arguments", () => {
  it("refuses a stream id that is not a non-empty string, typed", async () => {
    const events = createEventStore(lru.open());
    for (const id of [Symbol("s"), Object.create(null), "", 5, undefined, hostile]) {
      await expect(events.storeEvent(id as never, { jsonrpc: "2.0" })).rejects.toMatchObject(argumentError);
    }
  });

  it("refuses an id that is not a string and options without send, typed; EventReplayError prints any id", async () => {
    const events = createEventStore(lru.open());
    const id = await events.storeEvent("s", {});
    const send = async () => {};
    const unwritable = Object.assign(Object.create(null), { b: 5n });
    for (const bad of [unwritable, cycle(), Symbol("id"), 5, undefined]) {
      await expect(events.replayEventsAfter(bad as never, { send })).rejects.toMatchObject(argumentError);
    }
    for (const options of [undefined, null, {}, { send: 5 }]) {
      await expect(events.replayEventsAfter(id, options as never)).rejects.toMatchObject(argumentError);
    }
    expect(new EventReplayError("ERR_EVENT_UNKNOWN", unwritable).message).toContain("an object");
    await expect(events.replayEventsAfter("not-ours", { send })).rejects.toBeInstanceOf(EventReplayError);
  });
});

describe("the fleet factories, given bad options", () => {
  const factories = {
    createEventStore: (options: unknown) => createEventStore(lru.open(), options as never),
    createSessionState: (options: unknown) => createSessionState(lru.open(), options as never),
    createServerEventBus: (options: unknown) => createServerEventBus(lru.open(), options as never),
  };

  it.each(Object.entries(factories))(
    "%s refuses null options and a logger without its methods",
    (_, make) => {
      for (const options of [null, 5, "opts", { logger: {} }, { logger: null }, { logger: { warn() {} } }]) {
        expect(() => make(options)).toThrow(InvalidOptionError);
      }
      expect(() => make(undefined)).not.toThrow();
    },
  );
});

describe("createSessionState, given bad names and ids", () => {
  it("refuses a name that is not a string, typed, without calling the store", async () => {
    const { logger, records } = recordingLogger();
    const sessions = createSessionState(lru.open(), { logger });
    const state = sessions.forSession("s");
    for (const name of [{}, Symbol("n"), 5, undefined, null, hostile]) {
      await expect(state.set(name as never, 1)).rejects.toMatchObject(argumentError);
      await expect(state.get(name as never)).rejects.toMatchObject(argumentError);
      await expect(state.delete(name as never)).rejects.toMatchObject(argumentError);
    }
    expect(records).toEqual([]); // not taken for a store outage
    expect(await state.set("[object Object]", 2)).toBe(true);
    expect(await state.get("[object Object]")).toBe(2);
  });

  it("refuses a session id that is not a non-empty string at end, as forSession does", async () => {
    const sessions = createSessionState(lru.open());
    for (const id of [5, "", undefined, {}, hostile]) {
      await expect(sessions.end(id as never)).rejects.toMatchObject(argumentError);
      expect(() => sessions.forSession(id as never)).toThrow(McpArgumentError);
    }
    expect(await sessions.end("s")).toBe(true);
  });

  it("rejects, not throws, a value the codec cannot write, and stores nothing", async () => {
    const state = createSessionState(lru.open()).forSession("s");
    let pending: Promise<boolean> | undefined;
    expect(() => {
      pending = state.set("a", cycle());
    }).not.toThrow();
    await expect(pending).rejects.toBeInstanceOf(CodecError);
    expect(await state.get("a")).toBeUndefined();
  });

  it("rejects a value a custom codec writes as no text, and stores nothing", async () => {
    const codec = { encode: () => 5 as unknown as string, decode: (text: string) => text };
    const state = createSessionState(lru.open(), { codec }).forSession("s");
    await expect(state.set("a", 1)).rejects.toBeInstanceOf(InvalidOptionError);
    expect(await state.get("a")).toBeUndefined();
  });
});

describe("createServerEventBus, given bad events and listeners", () => {
  it("refuses an event JSON cannot write, or without a string kind, before delivering it anywhere", async () => {
    const store = lru.open();
    const channel = `test:${randomUUID()}`;
    const here = createServerEventBus(store, { channel });
    const heard: unknown[] = [];
    here.subscribe((event) => heard.push(event));
    const fromStore: string[] = [];
    const subscription = store.bus?.subscribe(channel, {
      message: (message) => void fromStore.push(message),
    });
    const params = cycle();
    for (const event of [{ kind: "x", params: 1n }, { kind: "x", params }, { kind: 5 }, {}, 5, null]) {
      expect(() => here.publish(event as never)).toThrow(McpArgumentError);
    }
    here.publish({ kind: "tools_list_changed" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([{ kind: "tools_list_changed" }]);
    expect(fromStore.map((message) => JSON.parse(message).e)).toEqual([{ kind: "tools_list_changed" }]);
    await subscription?.unsubscribe();
  });

  it("refuses, when it is made, a channel the stores' buses would refuse at the first subscribe", () => {
    for (const channel of ["a\uD800", "\uDE00", ""]) {
      expect(() => createServerEventBus(lru.open(), { channel })).toThrow(InvalidOptionError);
    }
    expect(() => createServerEventBus(lru.open(), { channel: "a\uD83D\uDE00" })).not.toThrow();
  });

  it("refuses a listener that is not a function, so no publish logs a throwing listener", () => {
    const { logger, records } = recordingLogger();
    const bus = createServerEventBus(lru.open(), { channel: `test:${randomUUID()}`, logger });
    for (const listener of [5, {}, null, undefined, "f"]) {
      expect(() => bus.subscribe(listener as never)).toThrow(McpArgumentError);
    }
    bus.publish({ kind: "tools_list_changed" });
    expect(records).toEqual([]);
  });
});
