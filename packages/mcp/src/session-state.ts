import { type Codec, defaultCodec, type Logger, type Store } from "@mcp-persist/cache-core";
import { assertDurationMs, describeValue } from "@mcp-persist/cache-core/kit";
import { keySegment } from "@mcp-persist/keys";
import { invalidOption, McpArgumentError, PKG } from "./errors";
import { assertContext } from "./request-context";
import type { RequestContext } from "./sdk-shapes";
import { sessionReadScript, sessionWriteScript } from "./session-scripts";
import { storePart } from "./store-part";

/**
 * One session's state: a few named values that live as long as the session is used. A name is any
 * string (`"__proto__"` included). The store never makes a call reject (reads answer `undefined`,
 * writes `false`); a bad argument does, before the store is called: a name that is not a string
 * ({@link McpArgumentError}), a value the codec cannot write (its `CodecError`).
 */
export interface SessionState {
  /** The session's id. */
  readonly sessionId: string;
  /**
   * The value, or `undefined` when unset, expired, or the store is unreachable. Pushes the TTL back.
   * @throws {McpArgumentError} (rejects) for a name that is not a string.
   */
  get<T = unknown>(name: string): Promise<T | undefined>;
  /**
   * Sets a value (through the codec). Resolves `false`, never rejects, when the store is unreachable.
   * @throws {McpArgumentError} (rejects) for a name that is not a string; the codec's error (`CodecError`)
   * for a value it cannot write (a cycle, a function).
   */
  set(name: string, value: unknown): Promise<boolean>;
  /**
   * Removes a value; `false` when the store is unreachable.
   * @throws {McpArgumentError} (rejects) for a name that is not a string.
   */
  delete(name: string): Promise<boolean>;
}

/** Per-session state for MCP servers: see {@link createSessionState}. */
export interface SessionStates {
  /**
   * The state of the session a tool handler's request belongs to (`extra.sessionId` on SDK v1,
   * `ctx.sessionId` where SDK v2 sets it), or `undefined` when the request has none (stdio,
   * stateless HTTP, the 2026-07-28 revision).
   * @throws {McpArgumentError} when `context` is not an object: what a handler written
   * `(args, extra)` passes for a tool without `inputSchema`, which would otherwise read as "no session".
   */
  of(context: RequestContext): SessionState | undefined;
  /**
   * The state of a session by its id.
   * @throws {McpArgumentError} for an id that is not a non-empty string.
   */
  forSession(sessionId: string): SessionState;
  /**
   * Deletes a session's state: call it when the session ends (v1 `onsessionclosed`). Resolves
   * `false` when the store is unreachable (the state then expires with its TTL).
   * @throws {McpArgumentError} (rejects) for an id that is not a non-empty string.
   */
  end(sessionId: string): Promise<boolean>;
}

/** Options of {@link createSessionState}. */
export interface SessionStateOptions {
  /** How long a session's state lives after its last use (read or write), in milliseconds. @default 3_600_000 (1 hour) */
  ttlMs?: number;
  /** First segment of the keys. @default "mcp" */
  namespace?: string;
  /** Turns values into store text and back. @default cache-core's defaultCodec */
  codec?: Codec;
  /** How long each call waits for the store, in milliseconds. @default DEFAULT_STORE_TIMEOUT_MS (250) */
  storeTimeoutMs?: number;
  /** A pino-style logger: `event: "mcp_session_state_unavailable"` warnings, at most once per 10 s. @default silent */
  logger?: Logger;
}

/** Compare-and-set attempts of one write before it gives up (only concurrent writes to one session conflict). */
const MAX_ATTEMPTS = 8;

/**
 * A small key-value state per MCP session, on any mcp-persist store: on Redis it survives a
 * server restart and is seen by every replica. Each use pushes the session's TTL back; `end`
 * deletes it. The store being down never fails a tool call: reads answer `undefined`, writes
 * `false`, with a throttled warning.
 *
 * ```ts
 * const sessions = createSessionState(store, { ttlMs: 30 * 60_000 });
 * server.registerTool("remember", { inputSchema: { note: z.string() } }, async ({ note }, extra) => {
 *   const state = sessions.of(extra);
 *   await state?.set("note", note);
 *   return { content: [{ type: "text", text: "noted" }] };
 * });
 * ```
 * @throws {InvalidOptionError} for a bad store or option.
 */
export function createSessionState(store: Store, options?: SessionStateOptions): SessionStates {
  const part = storePart("createSessionState", store, options, "the session state was not read or written");
  const { caller, warnings, namespace } = part;
  const { ttlMs = 3_600_000, codec = defaultCodec } = part.options;
  assertDurationMs(ttlMs, PKG, "ttlMs");
  if (typeof codec?.encode !== "function" || typeof codec.decode !== "function") {
    throw invalidOption(`codec must have encode and decode, got ${describeValue(codec)}`);
  }
  const ttl = Math.ceil(ttlMs);
  const keyOf = (sessionId: string) => `${namespace}:session:{${keySegment(sessionId)}}`;
  const unavailable = (error: unknown) =>
    warnings.warn(
      "mcp_session_state_unavailable",
      { store: store.name, err: error },
      "MCP session state is unavailable: reads answer undefined and writes are dropped until the store answers",
    );

  /** The stored text, parsed; `undefined` when missing. */
  // A Map, not the parsed object: a value named "__proto__" must stay a value.
  const read = async (key: string): Promise<{ text: string; values: Map<string, string> }> => {
    const text = (await caller.run(sessionReadScript, [key], [ttl])) ?? "";
    const values = new Map<string, string>(text === "" ? [] : Object.entries(JSON.parse(text)));
    return { text, values };
  };

  /** Applies `change` to the session's values, retrying when another write got there first. */
  const update = async (key: string, change: (values: Map<string, string>) => void): Promise<boolean> => {
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { text, values } = await read(key);
        change(values);
        const next = values.size === 0 ? "" : JSON.stringify(Object.fromEntries(values));
        if ((await caller.run(sessionWriteScript, [key], [text, next, ttl])) === 1) return true;
      }
      return false;
    } catch (error) {
      unavailable(error);
      return false;
    }
  };

  const forSession = (sessionId: string): SessionState => {
    assertSessionId(sessionId);
    const key = keyOf(sessionId);
    return {
      sessionId,
      async get<T>(name: string): Promise<T | undefined> {
        assertName(name);
        let stored: string | undefined;
        try {
          stored = (await read(key)).values.get(name);
        } catch (error) {
          unavailable(error);
          return undefined;
        }
        return stored === undefined ? undefined : (codec.decode(stored) as T);
      },
      // async: a value the codec cannot write rejects, as a bad name does, rather than throw.
      async set(name, value) {
        assertName(name);
        const encoded = codec.encode(value);
        if (typeof encoded !== "string") {
          throw invalidOption(`codec.encode must return a string, got ${describeValue(encoded)}`);
        }
        return update(key, (values) => {
          values.set(name, encoded);
        });
      },
      async delete(name) {
        assertName(name);
        return update(key, (values) => {
          values.delete(name);
        });
      },
    };
  };

  return {
    forSession,
    of(context) {
      assertContext("sessions.of", context);
      const sessionId = context.sessionId;
      return typeof sessionId === "string" && sessionId !== "" ? forSession(sessionId) : undefined;
    },
    async end(sessionId) {
      assertSessionId(sessionId);
      try {
        await caller.delete(keyOf(sessionId));
        return true;
      } catch (error) {
        unavailable(error);
        return false;
      }
    },
  };
}

/** @throws {McpArgumentError} for a session id that is not a non-empty string. */
function assertSessionId(sessionId: unknown): asserts sessionId is string {
  if (typeof sessionId !== "string" || sessionId === "") {
    throw new McpArgumentError(`a session id must be a non-empty string, got ${describeValue(sessionId)}`);
  }
}

/**
 * Names are strings: anything else would be turned into one (`{}` as "[object Object]") or
 * dropped (a Symbol) by the stored JSON, so `get` would not find what `set` wrote.
 * @throws {McpArgumentError}
 */
function assertName(name: unknown): asserts name is string {
  if (typeof name !== "string") {
    throw new McpArgumentError(`a session value's name must be a string, got ${describeValue(name)}`);
  }
}
