import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { redisStoreKinds, useRedis } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import { afterEach, describe, expect, it } from "vitest";
import { clearOnce, once } from "../src/index";
import { freshNamespace } from "./support/namespace";

const redis = useRedis();
const fixture = new URL("./fixtures/paused-holder.mjs", import.meta.url).pathname;
const TTL_MS = 600;

/** A holder process, started on `key`; resolves its outcome once it exits. */
function startHolder(options: Record<string, unknown>) {
  const child = spawn(process.execPath, [fixture, JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
  const outcome = new Promise<unknown>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`holder exited ${code}: ${stderr}`)),
    );
  });
  return { child, outcome };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

// Starting Node processes on a busy 2-core machine takes seconds.
describe.each(redisStoreKinds(redis))(
  "a once holder paused past its lease, on $name",
  { timeout: 30_000 },
  (kind) => {
    const children: ChildProcess[] = [];
    afterEach(() => {
      for (const child of children.splice(0))
        if (child.exitCode === null && child.pid) process.kill(child.pid, "SIGKILL");
    });

    /** Starts a holder, waits until it is inside its function, and stops it there past its lease. */
    async function pausedHolder(namespace: string) {
      const names = {
        inside: `in:${randomUUID()}`,
        go: `go:${randomUUID()}`,
        sideEffects: `sent:${randomUUID()}`,
      };
      const holder = startHolder({
        store: kind.name,
        url: redis().url,
        namespace,
        key: "k",
        ttlMs: TTL_MS,
        ...names,
      });
      children.push(holder.child);
      await until(
        "the holder to be inside",
        async () => (await redisCommand(redis().port, "LLEN", names.inside)) === "1",
      );
      holder.child.kill("SIGSTOP");
      await sleep(TTL_MS + 400); // its lease lapses; the process is alive, just not running
      const sent = async () => Number(await redisCommand(redis().port, "GET", names.sideEffects)) || 0;
      /** Lets it go: its pending read gets an answer while it is still stopped, then it resumes. */
      const resume = async () => {
        await redisCommand(redis().port, "RPUSH", names.go, "go");
        holder.child.kill("SIGCONT");
        return holder.outcome;
      };
      return { sent, resume, sideEffects: names.sideEffects };
    }

    it("following the rule (check downstream, then clearOnce) never runs the side effect twice: the resumed holder stands down", async () => {
      const store = kind.open({ keyPrefix: "" });
      const namespace = freshNamespace();
      const holder = await pausedHolder(namespace);
      const send = async () => {
        await redisCommand(redis().port, "INCR", holder.sideEffects);
        return "sent by the next caller";
      };

      // What a caller sees in that window, and what the README tells it to do.
      expect(await once(store, "k", send, { namespace })).toMatchObject({ status: "unknown" });
      expect(await holder.sent()).toBe(0); // downstream: nothing happened (yet)
      expect(await clearOnce(store, "k", { namespace })).toBe(true);
      expect(await once(store, "k", send, { namespace })).toMatchObject({ status: "ran", stored: true });

      // The paused holder resumes right where it was, before its timers run: its first read of
      // lock.signal sees the lease lost, so it does not send.
      expect(await holder.resume()).toEqual({ error: "ERR_LOCK_LOST" });
      expect(await holder.sent()).toBe(1);
      expect(await once(store, "k", send, { namespace })).toMatchObject({
        status: "done",
        value: "sent by the next caller",
      });
    });

    it("with nobody clearing, the resumed holder gives its mark back: the next call runs instead of reading unknown for a day", async () => {
      const store = kind.open({ keyPrefix: "" });
      const namespace = freshNamespace();
      const holder = await pausedHolder(namespace);
      expect(await holder.resume()).toEqual({ error: "ERR_LOCK_LOST" });
      expect(await holder.sent()).toBe(0);
      expect(await once(store, "k", () => "sent now", { namespace })).toMatchObject({
        status: "ran",
        value: "sent now",
      });
    });
  },
);
