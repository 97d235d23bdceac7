import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { withDeadline } from "@mcp-persist/cache-core/kit";
import { afterEach, describe, expect, it } from "vitest";

/** Keeps the event loop busy for `ms`: no timer and no socket or pipe read can run meanwhile. */
function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

const timedOut = () => new Error("deadline passed");

/**
 * A real peer in another process, answering over a pipe: `cat` echoes each line back. It keeps
 * running while this process's event loop is blocked, as Redis does.
 */
const peers: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const peer of peers.splice(0)) peer.kill();
});
async function echoPeer() {
  const peer = spawn("cat");
  peers.push(peer);
  const ask = (line: string): Promise<string> => {
    const reply = once(peer.stdout, "data").then(([chunk]) => String(chunk));
    peer.stdin.write(`${line}\n`);
    return reply;
  };
  await ask("warm-up");
  return ask;
}

describe("withDeadline when the event loop, not the peer, was slow", () => {
  it("resolves with a reply that was waiting to be read when the blocked loop let the timer fire", async () => {
    const ask = await echoPeer();
    const call = withDeadline(ask("pong"), 400, timedOut);
    // The peer answers at once; the reply waits in the pipe while the loop is busy until just
    // past the deadline (too little past it to count as starvation: see the next test).
    blockEventLoop(420);
    await expect(call).resolves.toBe("pong\n");
  });

  it("grants a call the time the loop was starved of, once: a request sent only after the block still gets its reply", async () => {
    const ask = await echoPeer();
    let send!: () => void;
    const reply = new Promise<string>((resolve) => (send = () => ask("late start").then(resolve)));
    const call = withDeadline(reply, 100, timedOut);
    // The request goes out only in the loop turn after the block, after the overdue timer has
    // fired (as node-redis writes its commands, from setImmediate): no reply can be waiting.
    setImmediate(() => setImmediate(send));
    blockEventLoop(400);
    await expect(call).resolves.toBe("late start\n");
  });

  it("still rejects a call that never settles, a bounded time after the loop came back", async () => {
    const started = performance.now();
    const call = withDeadline(new Promise<never>(() => {}), 100, timedOut);
    blockEventLoop(400);
    await expect(call).rejects.toThrow("deadline passed");
    // At most one more deadline granted for the starved time.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("withDeadline's onLate", () => {
  it("gets a value that arrives after the deadline, and an error it throws goes nowhere", async () => {
    let arrive!: (value: string) => void;
    const late: string[] = [];
    const call = withDeadline(new Promise<string>((resolve) => (arrive = resolve)), 20, timedOut, (v) => {
      late.push(v);
      throw new Error("an onLate that throws must not become an unhandled rejection");
    });
    await expect(call).rejects.toThrow("deadline passed");
    arrive("granted late");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(late).toEqual(["granted late"]);
  });
});
