import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Store } from "../store";
import { BusRecorder, until } from "./bus-recorder";
import { type Outage, rejectsWithCode, type Suite } from "./conformance-support";
import { ConnectionWatch } from "./connection-watch";
import { sampleScripts } from "./sample-scripts";

/**
 * How long the kit waits for `close()` and for the connections to close. A store with a deadline
 * (`capabilities.deadlineMs`) may spend one on the calls it lets finish and one draining its
 * client; this is a guard against a hang, well above that, never a measure of speed.
 */
function guardMs(store: Store): number {
  return 2000 + 4 * (store.capabilities.deadlineMs ?? 0);
}

/** Settles like `promise`, or fails the test if it has not settled within `ms`. */
async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new assert.AssertionError({ message: `${what} did not settle within ${ms} ms` })),
      ms,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** One call of each kind, each settling to true (answered) or false (failed). */
function everyCall(store: Store, key: string): Promise<boolean>[] {
  const calls: Promise<unknown>[] = [
    store.get(key),
    store.set(key, "v", 60_000),
    store.delete(key),
    store.ping(),
    store.run(sampleScripts.incrWithTtl, [`${key}:n`], [1, 60_000]),
  ];
  return calls.map((call) =>
    call.then(
      () => true,
      () => false,
    ),
  );
}

/**
 * `close()` must settle, and leave nothing that keeps the process alive, whatever state the store
 * is in: just created (its first connection still opening), or cut off from its server.
 */
export function closeTests(suite: Suite): void {
  const { test } = suite;

  test("close right after creation, before the first connection, settles and leaves no connection open", async () => {
    const connections = new ConnectionWatch();
    try {
      const store = await suite.makeStore();
      const guard = guardMs(store);
      // A subscription opens the bus's own connection (on a Redis store): it must close too.
      store.bus?.subscribe(`mcp-persist-conformance:${randomUUID()}:bus`, new BusRecorder());
      await settlesWithin(store.close(), guard, "close() right after creation");
      await rejectsWithCode(store.get("k"), "ERR_STORE_CLOSED", "get() after close()");
      await connections.closedWithin(guard, "after close() right after creation");
    } finally {
      connections.stop();
    }
  });

  for (const [name, outage] of Object.entries(suite.outages)) {
    test(`close during an outage (${name}) settles while it lasts, settles started calls, and leaves no connection open`, () =>
      closeDuringOutage(suite, outage, name));
  }
}

async function closeDuringOutage(suite: Suite, outage: Outage, name: string): Promise<void> {
  const connections = new ConnectionWatch();
  const key = `mcp-persist-conformance:${randomUUID()}:outage`;
  let ongoing = false;
  let store: Store | undefined;
  try {
    store = await suite.makeStore();
    const guard = guardMs(store);
    // Connected first: what follows is an outage, not a start-up.
    await settlesWithin(store.set(key, "before", 60_000), guard, "set() before the outage");
    if (suite.bus && store.bus !== undefined) {
      // With the bus's own connection open and subscribed: close() must end it too.
      const subscription = store.bus.subscribe(`${key}:bus`, new BusRecorder());
      await until("the bus subscription to listen before the outage", () => subscription.listening, guard);
    }
    ongoing = true;
    await outage.begin();
    const started = everyCall(store, key);
    await settlesWithin(store.close(), guard, `close() during the outage (${name})`);
    // close() lets started calls finish first, so each has been answered or has failed by now.
    await settlesWithin(Promise.all(started), guard, "the calls started before close()");
    await rejectsWithCode(store.get(key), "ERR_STORE_CLOSED", "get() after close()");
    // While the outage still lasts: a store that lets go only once its server is back does not close.
    await connections.closedWithin(guard, `after close() during the outage (${name})`);
  } finally {
    connections.stop();
    if (ongoing) await outage.end();
    // Closes the store if the test failed before it did (idempotent otherwise); never waits on a hang.
    store?.close().catch(() => {});
  }
}
