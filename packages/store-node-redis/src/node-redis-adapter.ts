import type { RedisClientAdapter } from "@mcp-persist/cache-core/redis";
import { ErrorReply } from "redis";
import type { NodeRedisClient, NodeRedisScriptCommands } from "./node-redis-client";

/**
 * Maps the store's few commands onto a node-redis client or cluster. node-redis never re-sends a
 * command it has written (replies lost with a connection reject), so the only late write to rule
 * out is a queued one: scripts carry an abort signal, which takes them out of the queue unwritten.
 */
export function nodeRedisAdapter<C extends NodeRedisClient>(client: C): RedisClientAdapter<C> {
  // withCommandOptions builds a view of the client; calls that share a signal (the store shares
  // one among calls due in the same millisecond) share the view too.
  let viewSignal: AbortSignal | undefined;
  let view: NodeRedisScriptCommands = client;
  return {
    client,
    // A cluster from createCluster knows its master nodes; a client from createClient has none.
    cluster: "masters" in client,
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
    get: async (key) => {
      const value = await client.get(key);
      // A client whose type mapping returns Buffers still gives the store text.
      return value === null || value === undefined ? null : String(value);
    },
    set: (key, value, ttlMs) => client.set(key, value, { expiration: { type: "PX", value: ttlMs } }),
    del: (key) => client.del(key),
    evalScript(command, body, keys, args, call) {
      const abortSignal = call.signal;
      if (abortSignal !== viewSignal) {
        view = client.withCommandOptions({ abortSignal });
        viewSignal = abortSignal;
      }
      const options = { keys: [...keys], arguments: [...args] };
      return command === "eval" ? view.eval(body, options) : view.evalSha(body, options);
    },
    ping: () => client.ping(),
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
