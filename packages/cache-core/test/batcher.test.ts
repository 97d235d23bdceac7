import { Batcher } from "@mcp-persist/cache-core/kit";
import { describe, expect, it } from "vitest";

/** Counts event-loop turns (one per `setImmediate`), to see in which turn each answer arrived. */
function loopTurns(): { readonly now: number; stop(): void } {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get now() {
      return turn;
    },
    stop() {
      running = false;
    },
  };
}

/** A send that answers each item with twice it, once the event loop has turned (as a store's reply would). */
function doubling(batches: number[][]) {
  return (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<number[]>((resolve) => setImmediate(() => resolve(items.map((n) => n * 2))));
  };
}

describe("Batcher: the calls of one tick, sent as one", () => {
  it("sends the calls made in one tick together and answers each with its own answer", async () => {
    const batches: number[][] = [];
    const batcher = new Batcher(doubling(batches));
    const items = Array.from({ length: 30 }, (_, i) => i);
    const answers = await Promise.all(items.map((n) => batcher.run(n)));
    expect(answers).toEqual(items.map((n) => n * 2));
    expect(batches).toEqual([items]);
  });

  it("sends calls of different ticks in different batches, and at most 100 calls in one", async () => {
    const batches: number[][] = [];
    const batcher = new Batcher(doubling(batches));
    const first = Array.from({ length: 250 }, (_, i) => batcher.run(i));
    await Promise.resolve().then(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    const second = [batcher.run(1000), batcher.run(1001)];
    expect(await Promise.all([...first, ...second])).toEqual([
      ...Array.from({ length: 250 }, (_, i) => i * 2),
      2000,
      2002,
    ]);
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50, 2]);
  });

  it("hands a large batch's answers out in parts over several loop turns, each once and in order", async () => {
    const batcher = new Batcher(doubling([]));
    const turns = loopTurns();
    const order: number[] = [];
    const turnOf = new Map<number, number>();
    const calls = Array.from({ length: 60 }, (_, i) =>
      batcher.run(i).then((answer) => {
        order.push(answer / 2);
        turnOf.set(answer / 2, turns.now);
      }),
    );
    await Promise.all(calls);
    turns.stop();
    expect(order).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const perTurn = new Map<number, number>();
    for (const turn of turnOf.values()) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    // Half of the 60 calls out in the first part, and never all at once.
    expect(perTurn.size).toBeGreaterThan(1);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(30);
  });

  it("answers a call alone in the turn its answer arrives", async () => {
    const turns = loopTurns();
    let sentIn = -1;
    const send = doubling([]);
    const batcher = new Batcher((items: readonly number[]) => {
      sentIn = turns.now;
      return send(items);
    });
    const answer = await batcher.run(7);
    const answeredIn = turns.now;
    turns.stop();
    expect(answer).toBe(14);
    // The answer comes one setImmediate after sending: the hand-out adds no turn on the way back.
    expect(answeredIn - sentIn).toBeLessThanOrEqual(1);
  });

  it("fails every call of a failed batch, after handing out the answers of earlier batches", async () => {
    let sends = 0;
    const batcher = new Batcher((items: readonly number[]) => {
      sends++;
      if (sends === 1) return Promise.resolve(items.map((n) => n * 2));
      return Promise.reject(new Error("the store went away"));
    });
    const events: string[] = [];
    const second: Promise<unknown>[] = [];
    const first = Array.from({ length: 40 }, (_, i) =>
      batcher.run(i).then(() => {
        events.push("answered");
        // The first answer out sends a second batch, while most of the first batch still waits its turn.
        if (i === 0) {
          for (let j = 0; j < 5; j++) {
            second.push(
              batcher.run(100 + j).then(
                () => events.push("second batch answered"),
                (error: Error) => events.push(error.message),
              ),
            );
          }
        }
      }),
    );
    await Promise.all(first);
    await Promise.all(second);
    expect(sends).toBe(2);
    expect(events).toEqual([...Array(40).fill("answered"), ...Array(5).fill("the store went away")]);
  });

  it("adopts an answer that is a promise: one item sent again on its own settles on its own", async () => {
    const batcher = new Batcher((items: readonly string[]) =>
      Promise.resolve(
        items.map((item) =>
          item === "again" ? Promise.reject(new Error("failed alone")) : Promise.resolve(`${item}!`),
        ),
      ),
    );
    const [ok, again] = await Promise.allSettled([batcher.run("ok"), batcher.run("again")]);
    expect(ok).toEqual({ status: "fulfilled", value: "ok!" });
    expect(again).toMatchObject({ status: "rejected", reason: { message: "failed alone" } });
  });

  it("holds a rejected answer that waits its turn without an unhandled rejection, and fails only its call", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const batcher = new Batcher((items: readonly number[]) =>
        Promise.resolve(items.map((n) => (n === 15 ? Promise.reject(new Error(`item ${n} failed`)) : n))),
      );
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => batcher.run(i)));
      // Let any unhandled rejection be reported before looking.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(outcomes.filter((o) => o.status === "rejected")).toEqual([
        { status: "rejected", reason: new Error("item 15 failed") },
      ]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("fails the calls of a batch whose send throws at once, rather than leaving them unanswered", async () => {
    const batcher = new Batcher((): Promise<number[]> => {
      throw new Error("bad arguments");
    });
    const outcomes = await Promise.allSettled([batcher.run(1), batcher.run(2)]);
    expect(outcomes.map((o) => o.status === "rejected" && (o.reason as Error).message)).toEqual([
      "bad arguments",
      "bad arguments",
    ]);
  });
});
