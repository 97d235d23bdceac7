import { randomUUID } from "node:crypto";
import { describeValue } from "@mcp-persist/cache-core/kit";
import { invalidOption } from "./errors";
import type { SessionStates } from "./session-state";

/**
 * What this package uses of a sessionful web-standard streamable HTTP transport, connected to its
 * server: SDK v1's and v2's `WebStandardStreamableHTTPServerTransport` (typed structurally: no SDK
 * import).
 */
export interface SessionTransport {
  /** Set by the transport once it has answered an `initialize`. */
  readonly sessionId?: string | undefined;
  handleRequest(request: Request, options?: never): Promise<Response>;
  close(): Promise<void>;
  /** Set by the server's `connect()`; chained, never replaced. */
  onclose?: (() => void) | undefined;
  /** Set by the server's `connect()`; chained, never replaced. */
  onmessage?: ((message: never, extra?: never) => void) | undefined;
}

/** Options of {@link createSessionTransports}. */
export interface SessionTransportsOptions<T extends SessionTransport> {
  /**
   * The session state ({@link createSessionState}) on the store every replica shares: it keeps
   * each session's `initialize` params, which a replica needs to take the session over.
   */
  sessions: SessionStates;
  /**
   * Opens a transport for the session `sessionId` and connects a new server to it: the transport
   * must take `sessionIdGenerator: () => sessionId` (a new session's id, or one this process takes
   * over), and an event store from `createEventStore` to make its streams resumable.
   */
  open: (sessionId: string) => Promise<T>;
  /** The id of each new session. @default crypto.randomUUID */
  newSessionId?: () => string;
}

/** This process's transports, by session id: see {@link createSessionTransports}. */
export interface SessionTransports<T extends SessionTransport> {
  /**
   * Answers a streamable HTTP request (POST, GET, DELETE) with the transport of its session: a new
   * one for an `initialize`, the one this process holds, or one that takes over a session another
   * replica created. `options` go to the transport's `handleRequest` (`authInfo`, `parsedBody`).
   */
  handle(request: Request, options?: Parameters<T["handleRequest"]>[1]): Promise<Response>;
  /** Closes every transport this process holds; later requests are answered `503`. */
  close(): Promise<void>;
}

/** The session-state name of a session's `initialize` params. */
const INITIALIZE = "mcp-persist:initialize";

/** A held session's state TTL is pushed back at most this often, so an idle-state session stays adoptable. */
const TOUCH_EVERY_MS = 60_000;

const jsonError = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json" },
  });

/** The SDKs' own answer for a session a transport does not hold: the client starts a new session. */
const sessionNotFound = () => jsonError(404, -32001, "Session not found");

/** Runs `work` on a transport not held yet, closing the transport if it throws: nothing else would. */
async function closedOnError<R>(transport: SessionTransport, work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    await transport.close().catch(() => {});
    throw error;
  }
}

/**
 * Serves streamable HTTP sessions (MCP SDK v1 or v2 web-standard transports) from any replica of
 * a fleet: a replica that gets a request for a session it does not hold (another replica's, or its
 * own before a restart) takes it over through the SDK's public API — a transport opened for that
 * id, initialized with the client's own `initialize` params kept in the session state. No stored
 * params (the session ended, expired, never existed, or the store is down): `404`, and the client
 * starts a new session, as the spec says.
 *
 * ```ts
 * const transports = createSessionTransports({
 *   sessions: createSessionState(store),
 *   open: async (sessionId) => {
 *     const transport = new WebStandardStreamableHTTPServerTransport({
 *       sessionIdGenerator: () => sessionId,
 *       eventStore: createEventStore(store),
 *     });
 *     await newServer().connect(transport);
 *     return transport;
 *   },
 * });
 * // in the HTTP handler of /mcp:
 * return transports.handle(request);
 * ```
 * @throws {InvalidOptionError} for a bad option.
 */
export function createSessionTransports<T extends SessionTransport>(
  options: SessionTransportsOptions<T>,
): SessionTransports<T> {
  const { sessions, open, newSessionId = randomUUID } = options ?? ({} as SessionTransportsOptions<T>);
  if (typeof sessions?.forSession !== "function" || typeof sessions.end !== "function") {
    throw invalidOption(
      `createSessionTransports() takes { sessions } from createSessionState(), got ${describeValue(sessions)}`,
    );
  }
  if (typeof open !== "function") throw invalidOption(`open must be a function, got ${describeValue(open)}`);
  if (typeof newSessionId !== "function") {
    throw invalidOption(`newSessionId must be a function, got ${describeValue(newSessionId)}`);
  }

  const held = new Map<string, T>();
  const touched = new Map<string, number>();
  /** Adoptions under way: concurrent first requests for one session wait for the same one. */
  const adopting = new Map<string, Promise<T | undefined>>();
  let closed = false;

  /** Forgets the transport when it closes (a DELETE, the server's close()), whoever closes it. */
  const hold = (sessionId: string, transport: T) => {
    const onclose = transport.onclose;
    transport.onclose = () => {
      if (held.get(sessionId) === transport) {
        held.delete(sessionId);
        touched.delete(sessionId);
      }
      onclose?.();
    };
    held.set(sessionId, transport);
    touched.set(sessionId, Date.now());
  };

  /** A new session: its `initialize` params are stored before the client gets the answer. */
  const create = async (request: Request, handleOptions: unknown): Promise<Response> => {
    const sessionId = newSessionId();
    const transport = await open(sessionId);
    let recorded: Promise<boolean> | undefined;
    const onmessage = transport.onmessage as ((message: unknown, extra?: unknown) => void) | undefined;
    transport.onmessage = ((message: unknown, extra?: unknown) => {
      const { method, params } = message as { method?: unknown; params?: unknown };
      if (method === "initialize" && transport.sessionId === sessionId) {
        recorded = sessions.forSession(sessionId).set(INITIALIZE, params);
      }
      onmessage?.(message, extra);
    }) as T["onmessage"];
    const response = await closedOnError(transport, () =>
      transport.handleRequest(request, handleOptions as never),
    );
    if (transport.sessionId !== undefined && transport.sessionId !== sessionId) {
      await transport.close();
      throw invalidOption(
        `open(sessionId) must return a transport whose sessionIdGenerator returns sessionId: it made ${describeValue(transport.sessionId)} of ${describeValue(sessionId)}`,
      );
    }
    if (transport.sessionId === undefined || closed) {
      // Not an initialize (the transport answered 400), or a failed one: nothing to keep.
      await transport.close();
      return response;
    }
    // Never rejects: with the store down the session works here, and other replicas answer 404.
    await recorded;
    hold(sessionId, transport);
    return response;
  };

  /** Takes over a session this process does not hold, from its stored `initialize` params. */
  const adopt = (sessionId: string, url: string): Promise<T | undefined> => {
    let pending = adopting.get(sessionId);
    if (pending === undefined) {
      pending = (async () => {
        const params = await sessions.forSession(sessionId).get(INITIALIZE);
        if (params === undefined || closed) return undefined;
        const transport = await open(sessionId);
        const initialize = new Request(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: `adopt-${randomUUID()}`, method: "initialize", params }),
        });
        // The replayed initialize's answer is read to its end (its stream then closes) and dropped.
        const answer = await closedOnError(transport, async () => {
          const response = await transport.handleRequest(initialize);
          await response.text();
          return response;
        });
        if (!answer.ok || transport.sessionId !== sessionId || closed) {
          await transport.close();
          return undefined;
        }
        hold(sessionId, transport);
        return transport;
      })().finally(() => adopting.delete(sessionId));
      adopting.set(sessionId, pending);
    }
    return pending;
  };

  return {
    async handle(request, handleOptions) {
      if (closed) return jsonError(503, -32000, "Server is shutting down");
      const sessionId = request.headers.get("mcp-session-id");
      if (sessionId === null || sessionId === "") return create(request, handleOptions);
      const transport = held.get(sessionId) ?? (await adopt(sessionId, request.url));
      if (transport === undefined) return sessionNotFound();
      const now = Date.now();
      if (now - (touched.get(sessionId) ?? now) >= TOUCH_EVERY_MS) {
        touched.set(sessionId, now);
        void sessions.forSession(sessionId).get(INITIALIZE);
      }
      const response = await transport.handleRequest(request, handleOptions as never);
      if (request.method === "DELETE" && response.ok) await sessions.end(sessionId);
      return response;
    },
    async close() {
      closed = true;
      await Promise.allSettled([...adopting.values()]);
      const transports = [...held.values()];
      held.clear();
      touched.clear();
      await Promise.allSettled(transports.map((transport) => transport.close()));
    },
  };
}
