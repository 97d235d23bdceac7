import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { StoreBus } from "../bus";
import type { Store } from "../store";
import { BusRecorder, until } from "./bus-recorder";
import { type Outage, rejectsWithCode, type Suite, sleep, withStore } from "./conformance-support";

/** A guard against a hang (see `guardMs` in conformance-close), never a measure of speed. */
function guardMs(store: Store): number {
  return 2000 + 4 * (store.capabilities.deadlineMs ?? 0);
}

/** Messages that look binary, escaped or structured; one publisher's order must hold for all. */
const MESSAGES = [
  "plain",
  "",
  "𝄞 music, 🎉 emoji, ÅÄÖ",
  "\u0000\u0001\u0002\u00ff",
  '{"json":"looking"}',
  "line\nbreaks\r\n",
  "x".repeat(10_000),
];

function busOf(store: Store): StoreBus {
  assert.ok(
    store.bus !== undefined,
    "store.bus is missing (pass `bus: false` to the kit for a store without one)",
  );
  return store.bus;
}

/** Compares message lists by their numbered prefix first, so a failure names the order, not 10 kB strings. */
function assertSameOrder(heard: string[], sent: string[]): void {
  const label = (m: string) => m.slice(0, m.indexOf(":") + 1 || 12);
  assert.deepEqual(
    heard.map(label),
    sent.map(label),
    "messages arrived out of order, or some are missing or extra",
  );
  const differs = sent.findIndex((message, i) => heard[i] !== message);
  assert.equal(differs, -1, `message ${label(sent[differs] ?? "")} arrived altered`);
}

/** Subscribes `recorder` and waits until the subscription says it is listening. */
async function listen(store: Store, channel: string, recorder = new BusRecorder()) {
  const subscription = busOf(store).subscribe(channel, recorder);
  await until(`the subscription to ${channel} to listen`, () => subscription.listening, guardMs(store));
  await until(`listening() to be told`, () => recorder.count("listening") === 1, guardMs(store));
  return { subscription, recorder };
}

/** Publishes, retrying while the store reconnects, until a publish is accepted. */
async function publishOnceUp(store: Store, channel: string, message: string): Promise<void> {
  const end = performance.now() + guardMs(store);
  for (;;) {
    try {
      await busOf(store).publish(channel, message);
      return;
    } catch (error) {
      if (performance.now() > end) throw error;
      await sleep(50);
    }
  }
}

/**
 * `store.bus`: a message reaches every subscriber of its channel on the store (on a shared store,
 * in every process), its own publisher's included, in the order each publisher sent them; one
 * listener's failure stays its own; unsubscribing is idempotent; `close()` ends it all.
 */
export function busTests(suite: Suite): void {
  const { test } = suite;
  if (!suite.bus) {
    test("bus: a store tested without a bus has none", () =>
      withStore(suite, async (store) => {
        assert.equal(store.bus, undefined, "store.bus is defined, yet the kit was told `bus: false`");
      }));
    return;
  }

  test("bus: a subscriber is told it listens, then hears every message of its store, in order, never inside publish()", () =>
    withStore(suite, async (store, key) => {
      const channel = key("bus");
      const { recorder } = await listen(store, channel);
      const bus = busOf(store);
      const sent = Array.from({ length: 100 }, (_, i) => `${i}:${MESSAGES[i % MESSAGES.length]}`);
      // Sent without waiting for each other: the order of the calls is the publisher's order.
      const published = Promise.all(sent.map((message) => bus.publish(channel, message)));
      assert.deepEqual(recorder.messages, [], "a listener ran inside publish()");
      await published;
      await until(
        "all 100 messages to arrive",
        () => recorder.messages.length >= sent.length,
        guardMs(store),
      );
      assert.deepEqual(recorder.messages, sent);
      assert.equal(recorder.events[0], "listening", "listening() must come before the first message");
    }));

  test("bus: channels are kept apart", () =>
    withStore(suite, async (store, key) => {
      const a = await listen(store, key("a"));
      const b = await listen(store, key("b"));
      await busOf(store).publish(key("a"), "for a");
      await busOf(store).publish(key("b"), "for b");
      await until("both messages", () => b.recorder.messages.length === 1, guardMs(store));
      assert.deepEqual(a.recorder.messages, ["for a"]);
      assert.deepEqual(b.recorder.messages, ["for b"]);
    }));

  test("bus: refuses a lone surrogate in a channel or a message (Redis would turn it into U+FFFD), as ERR_INVALID_OPTION", () =>
    withStore(suite, async (store, key) => {
      const bus = busOf(store);
      const recorder = new BusRecorder();
      assert.throws(
        () => bus.subscribe(`${key("c")}\ud800`, recorder),
        (error: unknown) => (error as { code?: unknown }).code === "ERR_INVALID_OPTION",
      );
      await rejectsWithCode(
        bus.publish(`${key("c")}\ud800`, "m"),
        "ERR_INVALID_OPTION",
        "a lone-surrogate channel",
      );
      await rejectsWithCode(
        bus.publish(key("c"), "cut \udc00 emoji"),
        "ERR_INVALID_OPTION",
        "a lone-surrogate message",
      );
    }));

  if (suite.capabilities.shared) {
    test("bus: two stores on one server hear each other's messages and their own, each publisher's in order", () =>
      withStore(suite, async (first, key) => {
        const second = await suite.makeStore();
        try {
          const channel = key("shared");
          const one = await listen(first, channel);
          const two = await listen(second, channel);
          const fromFirst = Array.from({ length: 20 }, (_, i) => `first ${i}`);
          const fromSecond = Array.from({ length: 20 }, (_, i) => `second ${i}`);
          await Promise.all([
            ...fromFirst.map((m) => busOf(first).publish(channel, m)),
            ...fromSecond.map((m) => busOf(second).publish(channel, m)),
          ]);
          for (const { recorder } of [one, two]) {
            await until("all 40 messages", () => recorder.messages.length >= 40, guardMs(first));
            assert.deepEqual(
              recorder.messages.filter((m) => m.startsWith("first")),
              fromFirst,
            );
            assert.deepEqual(
              recorder.messages.filter((m) => m.startsWith("second")),
              fromSecond,
            );
          }
        } finally {
          await second.close();
        }
      }));
  }

  test("bus: unsubscribe stops delivery at once, is idempotent, and a later subscribe listens again", () =>
    withStore(suite, async (store, key) => {
      const channel = key("unsubscribe");
      const bus = busOf(store);
      const first = await listen(store, channel);
      const second = await listen(store, channel);
      // Messages on one connection arrive in the order they were published: once the barrier's
      // message is in, an earlier message on `channel` would have been too.
      const barrier = await listen(store, key("barrier"));
      const throughBarrier = async (message: string) => {
        await bus.publish(key("barrier"), message);
        await until(
          `the barrier ${message}`,
          () => barrier.recorder.messages.includes(message),
          guardMs(store),
        );
      };

      await Promise.all([first.subscription.unsubscribe(), first.subscription.unsubscribe()]);
      await first.subscription.unsubscribe();
      assert.equal(first.subscription.listening, false, "an ended subscription says it listens");
      await bus.publish(channel, "after one left");
      await throughBarrier("1");
      assert.deepEqual(second.recorder.messages, ["after one left"]);
      assert.deepEqual(first.recorder.messages, [], "an ended subscription still hears messages");

      // The channel's last subscription ends: the channel itself stops.
      await second.subscription.unsubscribe();
      await second.subscription.unsubscribe();
      await bus.publish(channel, "after all left");
      await throughBarrier("2");
      assert.deepEqual(second.recorder.messages, ["after one left"]);

      const third = await listen(store, channel);
      await bus.publish(channel, "again");
      await until(
        "the message after subscribing again",
        () => third.recorder.messages.length === 1,
        guardMs(store),
      );
      assert.deepEqual(third.recorder.messages, ["again"]);
    }));

  test("bus: a listener that throws does not stop the others, nor its own next messages", () =>
    withStore(suite, async (store, key) => {
      const channel = key("throws");
      const heard: string[] = [];
      const fail = () => {
        throw new Error("a listener failing on purpose");
      };
      const throwing = {
        message(message: string) {
          heard.push(message);
          fail();
        },
        listening: fail,
        interrupted: fail,
      };
      busOf(store).subscribe(channel, throwing);
      const { recorder } = await listen(store, channel);
      await busOf(store).publish(channel, "one");
      await busOf(store).publish(channel, "two");
      await until("both messages", () => recorder.messages.length === 2, guardMs(store));
      assert.deepEqual(recorder.messages, ["one", "two"]);
      assert.deepEqual(heard, ["one", "two"]);
    }));

  test("bus: after close(), publish rejects and subscribe throws ERR_STORE_CLOSED; subscriptions end, unsubscribe resolves", async () => {
    const store = await suite.makeStore();
    try {
      const channel = `mcp-persist-conformance:${randomUUID()}:closed`;
      const { subscription } = await listen(store, channel);
      await store.close();
      assert.equal(subscription.listening, false, "a subscription still listens after close()");
      await subscription.unsubscribe();
      const bus = busOf(store);
      await rejectsWithCode(bus.publish(channel, "late"), "ERR_STORE_CLOSED", "publish() after close()");
      assert.throws(
        () => bus.subscribe(channel, new BusRecorder()),
        (error: unknown) => (error as { code?: unknown }).code === "ERR_STORE_CLOSED",
        "subscribe() after close() should throw ERR_STORE_CLOSED",
      );
    } finally {
      await store.close();
    }
  });

  // In-process stores have no connection to lose: the outages they are given are pretend ones.
  if (!suite.capabilities.shared) return;
  for (const [name, outage] of Object.entries(suite.outages)) {
    test(`bus across an outage (${name}): publish fails within the deadline, subscriptions say when they stop and listen again, and messages flow again`, () =>
      busAcrossOutage(suite, outage, name));
  }
}

async function busAcrossOutage(suite: Suite, outage: Outage, name: string): Promise<void> {
  let ongoing = false;
  await withStore(suite, async (store, key) => {
    const guard = guardMs(store);
    const channel = key("outage");
    const { subscription, recorder } = await listen(store, channel);
    await busOf(store).publish(channel, "before");
    await until("the message before the outage", () => recorder.messages.includes("before"), guard);
    try {
      ongoing = true;
      await outage.begin();
      const started = performance.now();
      const error = await busOf(store)
        .publish(channel, "during")
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      const code = (error as { code?: unknown } | undefined)?.code;
      assert.ok(
        code === "ERR_STORE_TIMEOUT" || code === "ERR_STORE_UNAVAILABLE",
        `publish() during the outage (${name}) should reject with ERR_STORE_TIMEOUT or ERR_STORE_UNAVAILABLE, got ${String(code ?? error)}`,
      );
      const bound = 2000 + 2 * (store.capabilities.deadlineMs ?? 0);
      assert.ok(performance.now() - started < bound, `publish() took over ${bound} ms to fail`);
      if (code === "ERR_STORE_UNAVAILABLE") {
        // The store saw its connection go: the subscriber's went with it, and it must say so.
        await until(
          "interrupted() after the connection was lost",
          () => recorder.count("interrupted") > 0,
          guard,
        );
        assert.equal(subscription.listening, false, "an interrupted subscription says it listens");
      }
    } finally {
      if (ongoing) await outage.end();
    }
    await until(
      `the subscription to listen again after the outage (${name})`,
      () => subscription.listening,
      guard,
    );
    const interruptions = recorder.count("interrupted");
    assert.equal(
      recorder.count("listening"),
      1 + interruptions,
      "listening() once at first and after each interruption",
    );
    assert.equal(
      recorder.events.at(-1) === "interrupted",
      false,
      "the last word was interrupted, yet it listens",
    );
    await publishOnceUp(store, channel, "after");
    await until(`the message after the outage (${name})`, () => recorder.messages.includes("after"), guard);
  });
}
