import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Store } from "@mcp-persist/cache-core";
import { freshPrefix, storeKinds, useRedis } from "@mcp-persist/test-kit";
import { anyString } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { field, fromTrap, hostileOrTrap, isWellFormed, name } from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { settledTyped, typedOutcome } from "./support/typed";
import { watchUnhandled } from "./support/unhandled";

reportInputs("store bus");

// `store.bus` of every store (lru in process; ioredis and node-redis over Redis pub/sub): given any
// channel, message and listener, `publish` resolves or rejects typed, `subscribe` returns a
// subscription or throws typed, `unsubscribe` never rejects; and what is published reaches each
// subscriber of its channel exactly, once, in order, and nothing else does.

const redis = useRedis();
const unhandled = watchUnhandled();

/** A message as a caller might publish one: any UTF-16, empty, huge. */
const message = fc.oneof(
  { weight: 6, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom("", "x".repeat(100_000), "a|w|b\nc", "\r\n*1\r\n$4\r\nPING\r\n") },
);

/**
 * Every store refuses a channel or message holding a lone surrogate (ERR_INVALID_OPTION: Redis
 * would carry it as U+FFFD, another channel, an altered message): only well-formed text is
 * delivered, and the first property checks the refusal is typed.
 */
const deliverable = (text: string) => isWellFormed(text);

/** Polls `check` every millisecond (test-kit's `waitFor` polls every 10): fails past 5 s. */
async function waitFor(what: string, check: () => boolean | undefined): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

describe.each(storeKinds(redis))("store.bus on $name", (kind) => {
  /** Two stores on one server (two processes), or one in-process store heard by itself. */
  const pair = (local?: Store): { publisher: Store; subscriber: Store } => {
    if (local !== undefined) return { publisher: local, subscriber: local };
    const keyPrefix = freshPrefix();
    return { publisher: kind.open({ keyPrefix }), subscriber: kind.open({ keyPrefix }) };
  };

  it("publish, subscribe and unsubscribe, given anything, answer or fail typed", async () => {
    const store = kind.open();
    const bus = store.bus;
    if (bus === undefined) throw new Error(`${kind.name} has no bus`);
    const listener = fc.oneof(
      { weight: 3, arbitrary: fc.constant({ message() {}, listening() {}, interrupted() {} }) },
      { weight: 1, arbitrary: fc.constant({ message: () => {}, listening: 5 }) },
      { weight: 2, arbitrary: hostileOrTrap },
    );
    await fc.assert(
      fc.asyncProperty(field(name), field(message), listener, async (channel, sent, junk) => {
        tried1();
        // Channels are global on a Redis server: a prefix keeps runs and files apart.
        const scoped =
          typeof channel === "string" && channel !== "" ? `fuzz:${randomUUID()}:${channel}` : channel;
        tally("publish", await settledTyped(() => bus.publish(scoped as never, sent as never)));
        const subscribed = tally(
          "subscribe",
          typedOutcome(() => bus.subscribe(scoped as never, junk as never), fromTrap),
        );
        if (subscribed.ok) {
          expect(typeof subscribed.value.listening).toBe("boolean");
          const ended = await settledTyped(() => subscribed.value.unsubscribe());
          expect(ended.ok, "unsubscribe never rejects").toBe(true);
          await settledTyped(() => subscribed.value.unsubscribe()); // idempotent
        }
        expect(await unhandled.since()).toEqual([]);
      }),
      runs(kind.redis ? 150 : 400),
    );
  });

  it("delivers exactly what was published to each subscriber of its channel, in order, once", async () => {
    const wanted = deliverable;
    const local = kind.redis ? undefined : kind.open();
    const plan = fc.record({
      channels: fc.uniqueArray(name.filter(wanted), { minLength: 1, maxLength: 3 }),
      sends: fc.array(fc.tuple(fc.nat(2), message.filter(wanted)), { minLength: 1, maxLength: 12 }),
    });
    await fc.assert(
      fc.asyncProperty(plan, async ({ channels, sends }) => {
        tried1();
        const { publisher, subscriber } = pair(local);
        const run = `fuzz:${randomUUID()}:`;
        const heard = channels.map(() => [] as string[]);
        const subscriptions = channels.map((channel, i) =>
          subscriber.bus?.subscribe(`${run}${channel}`, { message: (m) => void heard[i]?.push(m) }),
        );
        await waitFor("every subscription to listen", () => subscriptions.every((s) => s?.listening));
        const expected = channels.map(() => [] as string[]);
        for (const [index, text] of sends) {
          const at = index % channels.length;
          await publisher.bus?.publish(`${run}${channels[at]}`, text);
          expected[at]?.push(text);
        }
        // A last message on each channel: once it arrived, every earlier one has (one publisher's order).
        const end = `end ${randomUUID()}`;
        for (const channel of channels) await publisher.bus?.publish(`${run}${channel}`, end);
        await waitFor("the last messages", () => heard.every((got) => got.at(-1) === end));
        channels.forEach((_, i) => {
          expect(heard[i]?.slice(0, -1), `channel ${i}`).toEqual(expected[i]);
        });
        // After unsubscribe, nothing more arrives.
        await subscriptions[0]?.unsubscribe();
        await publisher.bus?.publish(`${run}${channels[0]}`, "after");
        if (channels.length > 1) {
          await publisher.bus?.publish(`${run}${channels[1]}`, end);
          await waitFor("a later message", () => heard[1]?.filter((m) => m === end).length === 2);
        }
        expect(heard[0]?.at(-1)).toBe(end);
        for (const subscription of subscriptions) await subscription?.unsubscribe();
        if (local === undefined) await Promise.all([publisher.close(), subscriber.close()]);
      }),
      runs(kind.redis ? 40 : 300),
    );
  });
});
