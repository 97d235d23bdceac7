import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { createEventStore, type McpEventStore } from "@mcp-persist/mcp";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { jsonValue, objectFrom, objectKey } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  duration,
  field,
  fromTrap,
  hostileOrTrap,
  isWellFormed,
  junkValue,
  name,
  optionsOf,
} from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { openStore, storeChoice } from "./support/stores";
import { settledTyped, typedOutcome } from "./support/typed";
import { watchUnhandled } from "./support/unhandled";

reportInputs("event store");

// `createEventStore` (the SDKs' EventStore for resumable streams): any options give a typed error
// or an event store; `storeEvent` never rejects because of the store (the README: the transport
// fails the request if it does), only for a bad argument, typed; what it stored replays exactly,
// in order, after any of its ids, on every store; any id given to `replayEventsAfter` answers the
// stream id or a typed rejection, and never hangs.

const redis = useRedis();
const unhandled = watchUnhandled();

/** A failing store's own error: what a replay read on it may reject with. */
const storeFailure = (error: unknown) => error instanceof Error && error.message.startsWith("faulty store:");

/** A stream id `storeEvent` takes: any non-empty string (lone surrogates included); else a typed refusal. */
const storableStream = (id: unknown) => typeof id === "string" && id !== "";

/** A message `storeEvent` takes: an object whose JSON is an object's; else a typed refusal. */
function storableMessage(message: unknown): boolean {
  if (typeof message !== "object" || message === null) return false;
  try {
    return JSON.stringify(message)?.startsWith("{") === true;
  } catch {
    return false; // a BigInt, a cycle, a trap
  }
}

/** A stream id: the SDKs' UUIDs and standalone stream, or any name. */
const streamId = fc.oneof(
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constant("_GET_stream") },
  { weight: 4, arbitrary: name },
);

/** A JSON-RPC message, or any JSON object (own `__proto__` members included), but the SDKs' priming `{}`. */
const message = fc
  .oneof(
    fc.record(
      { jsonrpc: fc.constant("2.0"), method: name, params: jsonValue, id: fc.oneof(fc.integer(), name) },
      { requiredKeys: ["jsonrpc"] },
    ),
    fc.array(fc.tuple(objectKey, jsonValue), { maxLength: 4 }).map(objectFrom),
  )
  .filter((m) => JSON.stringify(m) !== "{}");

/** Ids to make of a real one: its stream, its epoch or another, another sequence number. */
const realIds = new WeakMap<object, { seq: number; epoch: string | undefined }>();
function realId(seq: number, epoch: string | undefined): object {
  const marker = {};
  realIds.set(marker, { seq, epoch });
  return marker;
}

/** Replays after `id`, collecting what is sent. */
async function replay(events: McpEventStore, id: unknown) {
  const sent: { id: string; message: unknown }[] = [];
  const stream = await events.replayEventsAfter(id as string, {
    send: async (eventId, sentMessage) => void sent.push({ id: eventId, message: sentMessage }),
  });
  return { stream, sent };
}

describe("createEventStore, given any store and options, throws a typed error or makes an event store", () => {
  it("whose storeEvent resolves an id and whose replay answers", async () => {
    const options = optionsOf({
      namespace: name,
      maxEventsPerStream: fc.integer({ min: 1, max: 5 }),
      maxAgeMs: duration,
      storeTimeoutMs: fc.constantFrom(50, 250, 1000),
      followMs: fc.constantFrom(0, 20),
      logger: fc.constant({ debug() {}, info() {}, warn() {}, error() {} }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: storeChoice }, { weight: 1, arbitrary: hostileOrTrap }),
        options,
        async (choice, given) => {
          tried1();
          const store = typeof choice === "string" ? openStore(choice as never) : choice;
          try {
            const made = tally(
              "createEventStore",
              typedOutcome(() => createEventStore(store as never, given as never), fromTrap),
            );
            if (!made.ok) return;
            const first = await settledTyped(() => made.value.storeEvent("s", {}));
            expect(first.ok, "storeEvent never rejects").toBe(true);
            const second = await settledTyped(() =>
              made.value.storeEvent("s", { jsonrpc: "2.0", method: "m" }),
            );
            expect(typeof second.value).toBe("string");
            await settledTyped(() => replay(made.value, first.value), storeFailure);
          } finally {
            if (typeof choice === "string") await (store as { close(): Promise<void> }).close();
          }
        },
      ),
      runs(300),
    );
  });
});

describe.each(storeKinds(redis))("an event store on $name", (kind) => {
  it("replays exactly what it stored, in order, after any of its ids", async () => {
    const store = kind.open();
    const plan = fc.record({
      streams: fc.uniqueArray(streamId, { minLength: 1, maxLength: 3 }),
      sends: fc.array(fc.tuple(fc.nat(2), message), { minLength: 1, maxLength: 12 }),
      from: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(plan, async ({ streams, sends, from }) => {
        tried1();
        const events = createEventStore(store, {
          namespace: randomUUID(),
          followMs: 0,
          storeTimeoutMs: 5000,
        });
        // As the SDKs do: a priming event first, then the messages.
        const stored = streams.map(() => [] as { id: string; message: unknown }[]);
        const primed = await Promise.all(streams.map((stream) => events.storeEvent(stream, {})));
        for (const [index, sent] of sends) {
          const at = index % streams.length;
          const id = await events.storeEvent(streams[at] as string, sent);
          stored[at]?.push({ id, message: JSON.parse(JSON.stringify(sent)) });
        }
        const ids = [...primed, ...stored.flat().map((event) => event.id)];
        expect(new Set(ids).size, "every id is unique").toBe(ids.length);
        for (const [at, stream] of streams.entries()) {
          const own = stored[at] ?? [];
          for (const { id } of own) expect(await events.getStreamIdForEventId(id)).toBe(stream);
          const all = await replay(events, primed[at]);
          expect(all.stream).toBe(stream);
          expect(isDeepStrictEqual(all.sent, own), `replay of ${JSON.stringify(stream)}`).toBe(true);
          // After any of its ids: the rest, in order.
          const after = from % (own.length + 1);
          if (after > 0) {
            const rest = await replay(events, own[after - 1]?.id);
            expect(isDeepStrictEqual(rest.sent, own.slice(after))).toBe(true);
          }
        }
      }),
      runs(kind.redis ? 60 : 250),
    );
  });

  it("storeEvent rejects a bad argument only, and replayEventsAfter of any id answers the stream or a typed error", async () => {
    const store = kind.open();
    const anyId = fc.oneof(
      { weight: 3, arbitrary: name },
      {
        weight: 2,
        // Written by hand with encodeURIComponent, which cannot write a lone surrogate.
        arbitrary: fc
          .tuple(streamId.filter(isWellFormed), fc.nat(20))
          .map(([s, n]) => `${encodeURIComponent(s)}.0.${n}`),
      },
      {
        weight: 3,
        arbitrary: fc
          .record({ seq: fc.nat(9), epoch: fc.constantFrom(undefined, "0", "9".repeat(16)) })
          .map((place) => realId(place.seq, place.epoch)),
      },
      { weight: 2, arbitrary: junkValue },
    );
    await fc.assert(
      fc.asyncProperty(
        field(streamId),
        fc.oneof({ weight: 3, arbitrary: message }, { weight: 2, arbitrary: junkValue }),
        anyId,
        fc.constantFrom(0, 30),
        async (stream, sent, id, followMs) => {
          tried1();
          const events = createEventStore(store, { namespace: randomUUID(), followMs, storeTimeoutMs: 5000 });
          const primed = await events.storeEvent("p", {});
          const stored = await settledTyped(
            () => events.storeEvent(stream as string, sent as never),
            fromTrap,
          );
          // Never rejects because of the store; a bad argument is refused typed, and nothing else.
          expect(stored.ok, "storeEvent rejects a bad argument only").toBe(
            storableStream(stream) && storableMessage(sent),
          );
          if (stored.ok) expect(typeof stored.value).toBe("string");
          else expect((stored.error as { code?: unknown }).code).toBe("ERR_INVALID_ARGUMENT");
          await events.storeEvent("p", { jsonrpc: "2.0", method: "after" });
          // An id made of a real one: its stream, its epoch, another sequence number.
          // WeakMap.get never reads its key: a hostile Proxy passes through untouched.
          const place = typeof id === "object" && id !== null ? realIds.get(id) : undefined;
          const real =
            place === undefined
              ? id
              : primed.replace(/\.(\d+)\.\d+$/, (_, epoch) => `.${place.epoch ?? epoch}.${place.seq}`);
          for (const given of [real, stored.value, primed]) {
            const known = await settledTyped(() => events.getStreamIdForEventId(given as never), fromTrap);
            if (known.ok) expect(["string", "undefined"]).toContain(typeof known.value);
            const replayed = tally(
              "replayEventsAfter",
              await settledTyped(() => replay(events, given), fromTrap),
            );
            if (replayed.ok) {
              expect(replayed.value.stream).toBe(known.value);
              for (const event of replayed.value.sent) expect(typeof event.id).toBe("string");
            }
          }
          // A good message right after a bad one is stored: it replays.
          const fresh = randomUUID();
          const at = await events.storeEvent(fresh, {});
          await events.storeEvent(fresh, { jsonrpc: "2.0", method: "good" });
          expect((await replay(events, at)).sent).toHaveLength(1);
          expect(await unhandled.since()).toEqual([]);
        },
      ),
      runs(kind.redis ? 80 : 300),
    );
  });
});
