import assert from "node:assert/strict";
import { type Suite, withStore } from "./conformance-support";
import { sampleScripts } from "./sample-scripts";

const MINUTE = 60_000;

/** Keys that look like structure, globs, escapes or binary to a naive store. */
const STRANGE_KEYS = [
  "ключ",
  "键🔑",
  "a b\tc\r\nd",
  "{hash-tag}x",
  "*?[glob]",
  "%41%3A",
  "\u0000nul\u0001",
  "~g:ns",
  "x".repeat(1000),
];

/** Values that look binary, escaped or structured. */
const STRANGE_VALUES = [
  "𝄞 music, 🎉 emoji, ÅÄÖ",
  "\u0000\u0001\u0002\u00ff\u0080",
  "\ufffd\ufeff",
  '{"json":"looking"}',
  "1|2|3",
  "line\nbreaks\r\n",
  "",
];

export function basicTests(suite: Suite): void {
  const { test } = suite;

  test("declares a name and boolean capabilities matching the ones the kit was given", () =>
    withStore(suite, async (store) => {
      assert.equal(typeof store.name, "string");
      assert.ok(store.name.length > 0, "store.name is empty");
      for (const flag of ["shared", "cluster"] as const) {
        assert.equal(typeof store.capabilities[flag], "boolean", `capabilities.${flag}`);
        assert.equal(
          store.capabilities[flag],
          suite.capabilities[flag],
          `capabilities.${flag} differs from the kit's`,
        );
      }
    }));

  test("get returns undefined for a missing key", () =>
    withStore(suite, async (store, key) => {
      assert.equal(await store.get(key("missing")), undefined);
    }));

  test("set then get returns the value; a second set overwrites it", () =>
    withStore(suite, async (store, key) => {
      await store.set(key("a"), "one", MINUTE);
      assert.equal(await store.get(key("a")), "one");
      await store.set(key("a"), "two", MINUTE);
      assert.equal(await store.get(key("a")), "two");
    }));

  test("delete reports whether a live entry was removed", () =>
    withStore(suite, async (store, key) => {
      await store.set(key("a"), "one", MINUTE);
      assert.equal(await store.delete(key("a")), true);
      assert.equal(await store.get(key("a")), undefined);
      assert.equal(await store.delete(key("a")), false);
      assert.equal(await store.delete(key("never")), false);
    }));

  test("unicode and binary-looking keys and values round-trip, each kept apart", () =>
    withStore(suite, async (store, key) => {
      for (const [i, name] of STRANGE_KEYS.entries()) {
        await store.set(key(name), STRANGE_VALUES[i % STRANGE_VALUES.length] as string, MINUTE);
      }
      for (const [i, name] of STRANGE_KEYS.entries()) {
        assert.equal(await store.get(key(name)), STRANGE_VALUES[i % STRANGE_VALUES.length], `key #${i}`);
      }
      for (const value of STRANGE_VALUES) {
        await store.set(key("value"), value, MINUTE);
        assert.equal(await store.get(key("value")), value);
      }
    }));

  test("getSync is offered only by in-process stores, and agrees with get", () =>
    withStore(suite, async (store, key) => {
      if (store.getSync === undefined) return;
      assert.equal(suite.capabilities.shared, false, "a shared store does I/O and must not offer getSync");
      await store.set(key("a"), "one", MINUTE);
      assert.equal(store.getSync(key("a")), "one");
      assert.equal(store.getSync(key("a")), await store.get(key("a")));
      assert.equal(store.getSync(key("missing")), undefined);
      await store.delete(key("a"));
      assert.equal(store.getSync(key("a")), undefined);
      await store.close();
      assert.throws(
        () => store.getSync?.(key("a")),
        (error: unknown) => (error as { code?: unknown }).code === "ERR_STORE_CLOSED",
      );
    }));

  test("a deadlineMs it states is a duration, and 0 only if every call is settled when it returns", () =>
    withStore(suite, async (store, key) => {
      const { deadlineMs } = store.capabilities;
      if (deadlineMs !== undefined) {
        assert.ok(Number.isFinite(deadlineMs) && deadlineMs >= 0, `capabilities.deadlineMs is ${deadlineMs}`);
      }
      if (deadlineMs !== 0) return;
      // Capabilities then race none of its calls against a timer: a call that waited would never time out.
      assert.equal(
        suite.capabilities.shared,
        false,
        "a shared store does I/O: its calls cannot settle at once",
      );
      const calls = {
        set: store.set(key("a"), "one", MINUTE),
        get: store.get(key("a")),
        delete: store.delete(key("a")),
        run: store.run(sampleScripts.incrWithTtl, [key("n")], [1, MINUTE]),
      };
      assert.deepEqual(await pendingAfterOneTurn(calls), [], "calls not settled when they returned");
    }));

  // The cache's default maxValueBytes: every store keeps a value that large.
  const largeBytes = 1_048_576;
  test("a 1 MB value round-trips", () =>
    withStore(suite, async (store, key) => {
      const value = "0123456789abcdef".repeat(largeBytes / 16);
      await store.set(key("large"), value, MINUTE);
      assert.equal(await store.get(key("large")), value);
    }));

  test("hundreds of concurrent operations each see their own key", () =>
    withStore(suite, async (store, key) => {
      const n = 500;
      const ids = Array.from({ length: n }, (_, i) => i);
      await Promise.all(ids.map((i) => store.set(key(`k${i}`), `v${i}`, MINUTE)));
      const values = await Promise.all(ids.map((i) => store.get(key(`k${i}`))));
      assert.deepEqual(
        values,
        ids.map((i) => `v${i}`),
      );
      const removed = await Promise.all(ids.map((i) => store.delete(key(`k${i % 100}`))));
      assert.equal(removed.filter(Boolean).length, 100, "each key is deleted exactly once");
    }));

  test("concurrent writes to one key leave exactly one of the written values", () =>
    withStore(suite, async (store, key) => {
      const written = Array.from({ length: 100 }, (_, i) => `w${i}`);
      await Promise.all(written.map((value) => store.set(key("contended"), value, MINUTE)));
      const value = await store.get(key("contended"));
      assert.ok(value !== undefined && written.includes(value), `unexpected value ${String(value)}`);
    }));
}

/**
 * The calls of `calls` not settled when this was called: a promise settled already queues its
 * callbacks at once, ahead of the one turn awaited here; one that settles later has not queued
 * them yet. All are watched before that turn, so none gets a turn of its own to settle in.
 */
async function pendingAfterOneTurn(calls: Record<string, Promise<unknown>>): Promise<string[]> {
  const settled = new Set<string>();
  for (const [name, call] of Object.entries(calls)) {
    const note = () => settled.add(name);
    call.then(note, note);
  }
  await null;
  return Object.keys(calls).filter((name) => !settled.has(name));
}
