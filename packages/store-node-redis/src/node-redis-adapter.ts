import type { RedisClientAdapter } from "@mcp-persist/cache-core/redis";
import { ErrorReply } from "redis";
import type { NodeRedisClient, NodeRedisCommands } from "./node-redis-client";
import { openNodeRedisSubscriber, publishNodeRedis } from "./node-redis-subscriber";

/**
 * Maps the store's few commands onto a node-redis client or cluster. node-redis never re-sends a
 * command it has written (replies lost with a connection reject), so the only late write to rule
 * out is a queued one: every command carries the store call's abort signal, which takes it out of
 * the queue unwritten. `timeoutMs` is the store's deadline, the moment that signal aborts.
 */
export function nodeRedisAdapter<C extends NodeRedisClient>(
  client: C,
  timeoutMs: number,
): RedisClientAdapter<C> {
  // node-redis 6 gives every command a timeout (5 s by default) that, like the abort signal, only
  // takes a command out of the queue before it is written, and costs an AbortSignal.timeout (a
  // timer, a signal and a weak reference) per command: half the CPU of a script call, about 40 %
  // of a cached read's with the garbage collector's share. The store's signal aborts first, so
  // commands go without it, unless the client was given a shorter one of its own.
  const own = ownCommandTimeoutMs(client);
  const keepOwnTimeout = own !== undefined && own < timeoutMs;
  // withCommandOptions builds a view of the client; calls that share a signal (the store shares
  // one among calls due in the same millisecond) share the view too.
  let viewSignal: AbortSignal | undefined;
  let view: NodeRedisCommands = client;
  const viewFor = (abortSignal: AbortSignal): NodeRedisCommands => {
    if (abortSignal !== viewSignal) {
      view = client.withCommandOptions(
        keepOwnTimeout ? { abortSignal } : { abortSignal, timeout: undefined },
      );
      viewSignal = abortSignal;
    }
    return view;
  };
  // A cluster from createCluster knows its master nodes; a client from createClient has none.
  const cluster = "masters" in client;
  return {
    client,
    cluster,
    isReady: () => client.isReady,
    onReady(listener) {
      // A client says "ready" once its handshake is done; a cluster says "connect" once it knows the slots.
      const onEvent = () => {
        if (client.isReady) listener();
      };
      client.on("ready", onEvent);
      client.on("connect", onEvent);
      return () => {
        client.off("ready", onEvent);
        client.off("connect", onEvent);
      };
    },
    get: async (key, call) => {
      const value = await viewFor(call.signal).get(key);
      // A client whose type mapping returns Buffers still gives the store text.
      return value === null || value === undefined ? null : String(value);
    },
    set: (key, value, ttlMs, call) =>
      viewFor(call.signal).set(key, value, { expiration: { type: "PX", value: ttlMs } }),
    del: (key, call) => viewFor(call.signal).del(key),
    evalScript(command, body, keys, args, call) {
      const view = viewFor(call.signal);
      // node-redis copies keys and arguments into its own command (it never writes to them), so
      // the store's arrays go as they are, without a copy of each per script call.
      const options = { keys: keys as string[], arguments: args as string[] };
      return command === "eval" ? view.eval(body, options) : view.evalSha(body, options);
    },
    ping: () => client.ping(),
    publish: (channel, message, call) =>
      publishNodeRedis(client, cluster, channel, message, viewFor(call.signal)),
    openSubscriber: (events) => openNodeRedisSubscriber(client, cluster, events),
    isReplyError: (error) => error instanceof ErrorReply,
    async quit() {
      // close() drains: it resolves once every pending reply is in (the store bounds the wait).
      if (client.isReady) await client.close();
      // Not connected (reconnecting, or still opening its first connection): nothing is left to
      // drain, and close() would wait on a handshake or an offline queue. This stops the connecting.
      else if (client.isOpen) client.destroy();
    },
    disconnect() {
      client.destroy();
    },
  };
}

/**
 * The shortest command timeout the client was configured with, if any: its own (node-redis 6
 * defaults it to 5 s), and for a cluster, the one its node clients get from `defaults`. Read from
 * node-redis's fields, which its types keep private; a version without them reads as none.
 */
function ownCommandTimeoutMs(client: NodeRedisClient): number | undefined {
  const fields = client as {
    _commandOptions?: { timeout?: unknown };
    _options?: { defaults?: { commandOptions?: { timeout?: unknown } } };
  };
  const configured = [fields._commandOptions?.timeout, fields._options?.defaults?.commandOptions?.timeout];
  const timeouts = configured.filter((ms): ms is number => typeof ms === "number" && ms > 0);
  return timeouts.length === 0 ? undefined : Math.min(...timeouts);
}
