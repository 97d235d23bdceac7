import type { RedisClientAdapter } from "@mcp-persist/cache-core/redis";
import { ReplyError } from "ioredis";
import type { IoredisClient } from "./ioredis-client";
import { openIoredisSubscriber, publishIoredis } from "./ioredis-subscriber";
import { OnceWrittenScript } from "./once-written-script";

function noop(): void {}

/** Maps the store's few commands onto an ioredis `Redis` or `Cluster`. */
export function ioredisAdapter<C extends IoredisClient>(client: C): RedisClientAdapter<C> {
  return {
    client,
    cluster: client.isCluster === true,
    isReady: () => client.status === "ready",
    onReady(listener) {
      client.once("ready", listener);
      // A lazyConnect client connects on its first command; the store sends none until it is ready.
      if (client.status === "wait") client.connect().catch(noop);
      return () => client.off("ready", listener);
    },
    get: (key) => grouped(client, () => client.get(key)),
    set: (key, value, ttlMs) => sentAtOnce(client, client.set(key, value, "PX", ttlMs)),
    del: (key) => sentAtOnce(client, client.del(key)),
    evalScript(command, body, keys, args, call) {
      // The client's keyPrefix goes on KEYS exactly as on GET/SET/DEL, never on ARGV. The command's
      // arguments live until the reply: concatenated, not a literal (cache-core README, "Per-call objects").
      const script = new OnceWrittenScript(
        command,
        [body, keys.length].concat(keys, args),
        client.options.keyPrefix,
        call,
      );
      grouped(client, () => client.sendCommand(script));
      // Rejects by itself when a PING went out in the script's place (see OnceWrittenScript).
      return script.promise;
    },
    ping: () => client.ping(),
    publish: (channel, message) => publishIoredis(client, channel, message),
    openSubscriber: (events) => openIoredisSubscriber(client, events),
    isReplyError: (error) => error instanceof ReplyError,
    quit: () => quitIoredis(client),
    disconnect: () => client.disconnect(),
  };
}

/** What the store needs of a client's socket to hold its writes for a while. */
interface Corkable {
  cork(): void;
  uncork(): void;
  writable?: boolean;
}

/**
 * Commands that share one socket write at most. A whole burst in one write would save the most
 * system calls, but then client and server take turns — the server idle while the client makes
 * the next burst, the client idle while the server answers it — and a quiet machine got slower
 * (0.56× redis-semaphore's throughput, from 0.86× without grouping). Small groups keep both busy
 * at once. Of 2, 4 and 8: the fastest at 16 uncontended withLock calls in flight; of 4 and 16,
 * the fastest for cache hits (GET) at 16 in flight.
 */
const WRITE_GROUP = 4;

/** Sends one command (`send`, which returns its reply's promise) in the connection's current write group. */
function grouped<R>(client: IoredisClient, send: () => R): R {
  const stream = corkFor(client);
  const sent = send();
  if (stream !== undefined) flushIfFull(stream);
  return sent;
}

/**
 * `reply`, once the write that made it is on its way: the connection's held commands go out now,
 * with it. The cache writes behind its caller (`wrap` returns before its SET is answered), and a
 * process told "computed" must find its SET on the wire already: held to the end of the tick, it
 * could reach Redis after another connection's GET made meanwhile, which would miss.
 */
function sentAtOnce<R>(client: IoredisClient, reply: R): R {
  const stream = (client as { stream?: Corkable }).stream;
  if (stream !== undefined) sendHeld(stream);
  return reply;
}

/** Corked connections, with how many commands each holds, until the group is full or the tick ends. */
const corked = new Map<Corkable, number>();

function uncorkAll(): void {
  for (const stream of corked.keys()) stream.uncork();
  corked.clear();
}

/**
 * Holds the connection's writes (Node's cork) until `WRITE_GROUP` commands are in or the tick
 * ends (uncork in `process.nextTick`), so the calls a burst of replies sets off — each settled
 * call's next call is sent from the same run of microtasks — go out a few to a `writev` system
 * call rather than one write each: the socket write was most of the client's CPU per call (a
 * third of it for cache hits at 16 in flight, on a virtual machine with costly system calls). A call
 * waits no longer than the end of the current tick. Not on a Cluster, whose commands go out on the
 * connections of its nodes. Returns the stream when it is corked.
 */
function corkFor(client: IoredisClient): Corkable | undefined {
  if (client.isCluster === true) return undefined;
  const stream = (client as { stream?: Corkable }).stream;
  if (stream === undefined || stream.writable !== true) return undefined;
  const held = corked.get(stream);
  if (held === undefined) {
    if (corked.size === 0) process.nextTick(uncorkAll);
    stream.cork();
  }
  corked.set(stream, (held ?? 0) + 1);
  return stream;
}

/** Sends a full group at once. */
function flushIfFull(stream: Corkable): void {
  if ((corked.get(stream) ?? 0) >= WRITE_GROUP) sendHeld(stream);
}

/** Sends what the store holds on `stream`, if anything: its group ends here. */
function sendHeld(stream: Corkable): void {
  if (corked.delete(stream)) stream.uncork();
}

/** Draining close: QUIT once pending replies are in, resolved when the connection has ended. */
async function quitIoredis(client: IoredisClient): Promise<void> {
  if (client.status === "ready") {
    let ended = noop;
    const end = new Promise<void>((resolve) => (ended = resolve));
    client.once("end", ended);
    if (
      await client.quit().then(
        () => true,
        () => false,
      )
    )
      return end;
    client.off("end", ended);
  }
  // Not connected, or the QUIT failed (the server went away meanwhile): nothing is left to drain,
  // and a QUIT would wait in (or be refused by) the offline queue while the client reconnected
  // for ever. This only stops the reconnecting.
  if (client.status !== "end") client.disconnect();
}
