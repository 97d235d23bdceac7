import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import type { Store } from "@mcp-persist/cache-core";
import { createServerEventBus, createSessionState, type ServerEvent } from "@mcp-persist/mcp";
import { freshPrefix, storeKinds, useRedis } from "@mcp-persist/test-kit";
import { anyString, codecValue, jsonValue, objectKey } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromTrap, hostileOrTrap, isWellFormed, junkValue, name, optionsOf } from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { openStore, storeChoice } from "./support/stores";
import { settledTyped, typedOutcome } from "./support/typed";
import { watchUnhandled } from "./support/unhandled";

reportInputs("session state and server events");

// `createSessionState` and `createServerEventBus` of @mcp-persist/mcp: any options give a typed
// error or a working part; a session's values round-trip through the codec (any name, `__proto__`
// included; any session id), and bad input is refused typed; a server event reaches this process's
// listeners as published, and the other processes' as its JSON, in order, once.

const redis = useRedis();
const unhandled = watchUnhandled();
const logger = { debug() {}, info() {}, warn() {}, error() {} };

describe("createSessionState and createServerEventBus, given any store and options", () => {
  it("throw a typed error or make a part that works", async () => {
    const stateOptions = optionsOf({
      ttlMs: fc.integer({ min: 60_000, max: 2 ** 31 - 1 }), // shorter ones expire before the read
      namespace: name,
      codec: fc.constant({ encode: JSON.stringify, decode: JSON.parse }),
      storeTimeoutMs: fc.constantFrom(50, 250, 1000),
      logger: fc.constant(logger),
    });
    const busOptions = optionsOf({ channel: name, logger: fc.constant(logger) });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: storeChoice }, { weight: 1, arbitrary: hostileOrTrap }),
        stateOptions,
        busOptions,
        async (choice, forState, forBus) => {
          tried1();
          const store = typeof choice === "string" ? openStore(choice as never) : (choice as Store);
          try {
            {
              const made = tally(
                "createSessionState",
                typedOutcome(() => createSessionState(store, forState as never), fromTrap),
              );
              if (made.ok) {
                const state = made.value.forSession("s");
                const set = await settledTyped(() => state.set("a", 1));
                expect(typeof set.value, "set resolves a boolean").toBe("boolean");
                const got = await settledTyped(() => state.get("a"));
                if (set.value === true) expect(got.value).toBe(1);
                expect((await settledTyped(() => state.delete("a"))).ok).toBe(true);
                expect((await settledTyped(() => made.value.end("s"))).ok).toBe(true);
              }
            }
            {
              const made = tally(
                "createServerEventBus",
                typedOutcome(() => createServerEventBus(store, forBus as never), fromTrap),
              );
              if (made.ok) {
                const heard: unknown[] = [];
                const stop = made.value.subscribe((event) => heard.push(event));
                const event = { kind: "tools_list_changed" };
                made.value.publish(event);
                expect(heard).toEqual([event]);
                stop();
                stop();
              }
            }
            expect(await unhandled.since()).toEqual([]);
          } finally {
            if (typeof choice === "string") await store.close();
          }
        },
      ),
      runs(300),
    );
  });
});

describe.each(storeKinds(redis))("on $name", (kind) => {
  it("a session's values round-trip, whatever their names, and bad input is refused typed", async () => {
    const store = kind.open();
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constant("set" as const), fc.nat(3), codecValue) },
      { weight: 3, arbitrary: fc.tuple(fc.constant("get" as const), fc.nat(3)) },
      { weight: 2, arbitrary: fc.tuple(fc.constant("delete" as const), fc.nat(3)) },
      { weight: 1, arbitrary: fc.tuple(fc.constant("end" as const)) },
      { weight: 1, arbitrary: fc.tuple(fc.constant("junk" as const), junkValue) },
    );
    const plan = fc.record({
      sessionId: fc.oneof(fc.uuid(), name),
      names: fc.uniqueArray(fc.oneof(objectKey, name), { minLength: 4, maxLength: 4 }),
      ops: fc.array(op, { minLength: 1, maxLength: 12 }),
    });
    await fc.assert(
      fc.asyncProperty(plan, async ({ sessionId, names, ops }) => {
        tried1();
        const sessions = createSessionState(store, { namespace: randomUUID(), storeTimeoutMs: 5000 });
        const state = sessions.forSession(sessionId);
        const model = new Map<string, unknown>();
        for (const [kindOf, index, value] of ops) {
          const at = kindOf === "junk" ? "" : (names[(index as number) % names.length] as string);
          if (kindOf === "set") {
            const set = tally("set", await settledTyped(() => state.set(at, value)));
            if (set.ok) {
              expect(set.value).toBe(true);
              model.set(at, value);
            }
          } else if (kindOf === "get") {
            const got = await state.get(at);
            expect(isDeepStrictEqual(got, model.get(at)), `get(${JSON.stringify(at)})`).toBe(true);
          } else if (kindOf === "delete") {
            expect(await state.delete(at)).toBe(true);
            model.delete(at);
          } else if (kindOf === "end") {
            expect(await sessions.end(sessionId)).toBe(true);
            model.clear();
          } else {
            // Anything as a session id, a context, a name or a value: a typed error or an answer.
            const junk = index;
            tally(
              "forSession",
              typedOutcome(() => sessions.forSession(junk as never), fromTrap),
            );
            const of = typedOutcome(() => sessions.of(junk as never), fromTrap);
            if (of.ok && of.value !== undefined) expect(typeof of.value.sessionId).toBe("string");
            const set = await settledTyped(() => state.set(names[0] as string, junk), fromTrap);
            if (set.ok) model.set(names[0] as string, (await state.get(names[0] as string)) as unknown);
            if (typeof junk !== "string") {
              expect((await settledTyped(() => state.set(junk as never, 1), fromTrap)).ok).toBe(false);
              expect((await settledTyped(() => state.get(junk as never), fromTrap)).ok).toBe(false);
              expect((await settledTyped(() => sessions.end(junk as never), fromTrap)).ok).toBe(false);
            }
          }
        }
        for (const at of names) expect(isDeepStrictEqual(await state.get(at), model.get(at))).toBe(true);
        expect(await unhandled.since()).toEqual([]);
      }),
      runs(kind.redis ? 60 : 250),
    );
  });

  it("a server event reaches this process's listeners as published, the others' as its JSON, in order, once", async () => {
    const event = fc.record(
      {
        kind: fc.oneof(name, fc.constantFrom("tools_list_changed", "resource_updated")),
        uri: anyString,
        params: jsonValue,
      },
      { requiredKeys: ["kind"] },
    );
    const local = kind.redis ? undefined : kind.open();
    const pair = () => {
      if (local !== undefined) return [local, local] as const;
      const keyPrefix = freshPrefix();
      return [kind.open({ keyPrefix }), kind.open({ keyPrefix })] as const;
    };
    const channelName = name.filter(isWellFormed); // every store refuses lone surrogates in channels
    await fc.assert(
      fc.asyncProperty(
        channelName,
        fc.array(event, { minLength: 1, maxLength: 8 }),
        junkValue,
        async (channel, events, junk) => {
          tried1();
          const [a, b] = pair();
          const options = { channel: `fuzz:${randomUUID()}:${channel}` };
          const here = createServerEventBus(a, options);
          const there = createServerEventBus(b, options);
          const heardHere: ServerEvent[] = [];
          const heardThere: ServerEvent[] = [];
          here.subscribe((e) => heardHere.push(e));
          there.subscribe((e) => heardThere.push(e));
          // On Redis a subscription is in place after a round trip: ping until the other side hears.
          const deadline = Date.now() + 5000;
          while (!heardThere.some((e) => e.kind === "ping")) {
            if (Date.now() > deadline) throw new Error("the other process never heard a ping");
            here.publish({ kind: "ping" });
            await sleep(kind.redis ? 5 : 0);
          }
          heardHere.length = 0;
          heardThere.length = 0;
          for (const e of events) here.publish(e);
          here.publish({ kind: "end" });
          while (heardThere.at(-1)?.kind !== "end") {
            if (Date.now() > deadline + 5000) throw new Error("the last event never arrived");
            await sleep(1);
          }
          const pings = (list: ServerEvent[]) => list.filter((e) => e.kind !== "ping").slice(0, -1);
          expect(pings(heardHere)).toEqual(events.filter((e) => e.kind !== "ping"));
          pings(heardHere).forEach((e, i) => {
            expect(e).toBe(events.filter((x) => x.kind !== "ping")[i]); // the very object
          });
          const asJson = events.filter((e) => e.kind !== "ping").map((e) => JSON.parse(JSON.stringify(e)));
          expect(
            isDeepStrictEqual(pings(heardThere), asJson),
            "the other process heard the events' JSON",
          ).toBe(true);
          // Anything published or subscribed: no throw but a typed one (or the caller's own).
          tally(
            "publish",
            typedOutcome(() => here.publish(junk as never), fromTrap),
          );
          const subscribed = tally(
            "subscribe",
            typedOutcome(() => here.subscribe(junk as never), fromTrap),
          );
          if (typeof junk !== "function") expect(subscribed.ok).toBe(false);
          if (subscribed.ok) subscribed.value();
          if (kind.redis) await Promise.all([a.close(), b.close()]);
          expect(await unhandled.since()).toEqual([]);
        },
      ),
      runs(kind.redis ? 30 : 120),
    );
  });
});
