import { createManualClock } from "@mcp-persist/cache-core/testing";
import { freshPrefix, storeKinds, useRedis } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";
import { createEventStore, EventReplayError, type McpEventStore } from "../src/index";

const redis = useRedis();
const kinds = storeKinds(redis);

/** A JSON-RPC notification, numbered. */
const progress = (n: number) => ({
  jsonrpc: "2.0",
  method: "notifications/progress",
  params: { progress: n },
});

/** Replays after `id` and collects what was sent, in order. */
async function replay(events: McpEventStore, id: string) {
  const sent: { id: string; message: unknown }[] = [];
  const stream = await events.replayEventsAfter(id, {
    send: async (eventId, message) => {
      sent.push({ id: eventId, message });
    },
  });
  return { stream, sent };
}

describe.each(kinds)("createEventStore on $name", (kind) => {
  /** Two replicas' event stores on one store (Redis: two clients sharing a key prefix). */
  const replicas = () => {
    if (!kind.redis) {
      const store = kind.open();
      return [createEventStore(store), createEventStore(store)] as const;
    }
    const keyPrefix = freshPrefix();
    return [createEventStore(kind.open({ keyPrefix })), createEventStore(kind.open({ keyPrefix }))] as const;
  };

  it("replays every message after an id, in order, exactly once, on another replica", async () => {
    const [a, b] = replicas();
    const ids = [await a.storeEvent("s1", {})];
    for (let n = 1; n <= 5; n++) ids.push(await a.storeEvent("s1", progress(n)));
    await a.storeEvent("s2", progress(99)); // another stream: never replayed with s1
    expect(new Set(ids).size).toBe(ids.length);
    expect(await b.getStreamIdForEventId(ids[2] as string)).toBe("s1");

    const { stream, sent } = await replay(b, ids[2] as string);
    expect(stream).toBe("s1");
    expect(sent).toEqual([3, 4, 5].map((n) => ({ id: ids[n], message: progress(n) })));
    // From the priming event: it is not a message and is not sent.
    expect((await replay(b, ids[0] as string)).sent.map((event) => event.message)).toEqual(
      [1, 2, 3, 4, 5].map(progress),
    );
    expect((await replay(b, ids[5] as string)).sent).toEqual([]);
  });

  it("hands out unique ids in one order when replicas store on one stream at once", async () => {
    const [a, b] = replicas();
    const first = await a.storeEvent("s", {});
    const stored = await Promise.all(
      Array.from({ length: 200 }, (_, n) => (n % 2 === 0 ? a : b).storeEvent("s", progress(n))),
    );
    expect(new Set(stored).size).toBe(200);
    const { sent } = await replay(a, first);
    // The replay order is the ids' order; every message once.
    expect(sent.map((event) => event.id).sort()).toEqual([...stored].sort());
    const seqs = sent.map((event) => Number(event.id.split(".").at(-1)));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(sent.map((event) => JSON.stringify(event.message))).size).toBe(200);
  });

  it("answers an id that is not ours or never stored with no stream, or an EventReplayError", async () => {
    const [a] = replicas();
    expect(await a.getStreamIdForEventId("not-an-id")).toBeUndefined();
    expect(await a.getStreamIdForEventId("")).toBeUndefined();
    await expect(replay(a, "not-an-id")).rejects.toBeInstanceOf(EventReplayError);
    await expect(replay(a, "s.1700000000000.3")).rejects.toMatchObject({ code: "ERR_EVENT_UNKNOWN" });
    const id = await a.storeEvent("s", progress(1));
    const seq = Number(id.split(".").at(-1));
    await expect(replay(a, id.replace(/\d+$/, String(seq + 5)))).rejects.toMatchObject({
      code: "ERR_EVENT_UNKNOWN",
    });
  });

  it("keeps every standalone stream to its own event store: sessions never replay one another's", async () => {
    const [a, b] = replicas();
    const mine = await a.storeEvent("_GET_stream", {});
    await a.storeEvent("_GET_stream", progress(1));
    await b.storeEvent("_GET_stream", progress(2));
    expect(await b.getStreamIdForEventId(mine)).toBe("_GET_stream");
    const { stream, sent } = await replay(b, mine);
    expect(stream).toBe("_GET_stream");
    expect(sent.map((event) => event.message)).toEqual([progress(1)]);
  });

  it("drops the oldest events past maxEventsPerStream: replaying from a dropped one fails, a standalone stream goes on", async () => {
    const store = kind.open();
    const events = createEventStore(store, { maxEventsPerStream: 3 });
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push(await events.storeEvent("s", progress(n)));
    await expect(replay(events, ids[1] as string)).rejects.toMatchObject({ code: "ERR_EVENT_EVICTED" });
    expect((await replay(events, ids[2] as string)).sent.map((event) => event.message)).toEqual(
      [3, 4, 5].map(progress),
    );
    const standalone: string[] = [];
    for (let n = 0; n < 6; n++) standalone.push(await events.storeEvent("_GET_stream", progress(n)));
    expect(await replay(events, standalone[0] as string)).toEqual({ stream: "_GET_stream", sent: [] });
  });
});

describe("retention", () => {
  it("10,000 events on one stream keep within both bounds (in process, on a manual clock)", async () => {
    const clock = createManualClock();
    const [lru] = kinds;
    const events = createEventStore(lru?.open({ clock }) as never, {
      maxEventsPerStream: 1000,
      maxAgeMs: 500,
    });
    const ids: string[] = [];
    for (let n = 0; n < 10_000; n++) {
      ids.push(await events.storeEvent("s", progress(n)));
      // 1 ms apart for the first half (the age bound binds: 500 events), then 10 per ms (the count binds).
      clock.advance(n < 5000 || n % 10 === 9 ? 1 : 0);
    }
    // 1000 kept (the newest 1000, all within 500 ms): replay after the 9000th gives the last 1000.
    const { sent } = await replay(events, ids[8999] as string);
    expect(sent.map((event) => (event.message as ReturnType<typeof progress>).params.progress)).toEqual(
      Array.from({ length: 1000 }, (_, i) => 9000 + i),
    );
    await expect(replay(events, ids[8998] as string)).rejects.toMatchObject({ code: "ERR_EVENT_EVICTED" });
    // Past the age bound, even the newest is gone: dropped at first, then the stream's keys expire.
    clock.advance(499);
    await expect(replay(events, ids[9998] as string)).rejects.toBeInstanceOf(EventReplayError);
    clock.advance(1);
    await expect(replay(events, ids[9998] as string)).rejects.toMatchObject({ code: "ERR_EVENT_UNKNOWN" });
  });

  it("10,000 events on one stream keep within both bounds on Redis: length, age and TTL of every key", async () => {
    const ioredis = kinds.find((kind) => kind.name === "ioredis");
    const keyPrefix = freshPrefix();
    // Real time, on a machine that may stall: long enough that a stall between the last write and
    // the reads below cannot expire the whole stream (400 ms did, once, under heavy load). The
    // age bound's trimming is tested to the millisecond on a manual clock above.
    const maxAgeMs = 3000;
    const events = createEventStore(ioredis?.open({ keyPrefix }) as never, {
      maxEventsPerStream: 1000,
      maxAgeMs,
    });
    const port = redis().port;
    const list = `${keyPrefix}mcp:events:{s}`;
    const started = Date.now();
    let ids: string[] = [];
    for (let round = 0; round < 10; round++) {
      ids = ids.concat(
        await Promise.all(
          Array.from({ length: 1000 }, (_, n) => events.storeEvent("s", progress(round * 1000 + n))),
        ),
      );
      expect(Number(await redisCommand(port, "LLEN", list))).toBeLessThanOrEqual(1000);
    }
    expect(new Set(ids).size).toBe(10_000);
    const length = Number(await redisCommand(port, "LLEN", list));
    expect(length).toBeGreaterThan(0);
    expect(length).toBeLessThanOrEqual(1000);
    // Every key expires within maxAgeMs.
    for (const key of [list, `${list}:n`]) {
      const pttl = Number(await redisCommand(port, "PTTL", key));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(maxAgeMs);
    }
    // The oldest kept entry was stored within maxAgeMs of the newest (trimmed on write).
    const oldest = Number((await redisCommand(port, "LINDEX", list, "0")).split(":")[0]);
    const newest = Number((await redisCommand(port, "LINDEX", list, "-1")).split(":")[0]);
    expect(newest - oldest).toBeLessThan(maxAgeMs);
    expect(newest).toBeGreaterThanOrEqual(started - 1000);
    // Past maxAgeMs the stream is gone, keys and all.
    await new Promise((resolve) => setTimeout(resolve, maxAgeMs + 200));
    expect(await redisCommand(port, "EXISTS", list, `${list}:n`)).toBe("0");
    await expect(replay(events, ids.at(-2) as string)).rejects.toMatchObject({ code: "ERR_EVENT_UNKNOWN" });
  });
});
