import type { StoreBus } from "../bus";
import { StoreClosedError } from "../errors";
import type { Script, ScriptArg, ScriptReply } from "../script";
import type { RunOptions, Store, StoreCapabilities } from "../store";
import { assertTtlMs } from "../ttl";
import type { RedisClientAdapter } from "./client-adapter";
import { closeClient } from "./close-client";
import { DeadlineQueue } from "./deadline-queue";
import { StoreUnavailableError } from "./errors";
import { type CallOwner, PendingCall, type Send } from "./pending-call";
import { Readiness } from "./readiness";
import { RedisBus } from "./redis-bus";
import { resolveTimeoutMs } from "./redis-store-options";
import { ScriptRegistry } from "./script-registry";
import { toScriptReply } from "./script-reply";

/** A {@link Store} on a Redis client, which it exposes. */
export interface RedisStore<Client> extends Store {
  /** The client this store talks through: yours if you passed one, else the one it created. */
  readonly client: Client;
  /** Messages between the processes on this Redis: PUBLISH, and SUBSCRIBE on a connection of its own. */
  readonly bus: StoreBus;
}

/** What a Redis store package hands to {@link createRedisStore}. */
export interface RedisStoreParts<Client> {
  /** Store name for logs and errors, e.g. `ioredis`. */
  name: string;
  /** The store's npm package, named in its errors. */
  package: string;
  /** The client, wrapped. */
  adapter: RedisClientAdapter<Client>;
  /** See `RedisStoreOptions.timeoutMs`. @default 250 */
  timeoutMs?: number;
  /** Whether `close()` quits the client too. */
  ownsClient: boolean;
}

// Larger TTLs would reach Redis in exponent notation, which PX rejects; 2^53 ms is 285,000 years.
const MAX_TTL_MS = Number.MAX_SAFE_INTEGER;

function noop(): void {}

/**
 * Builds the whole {@link Store} contract on one Redis client adapter: the per-call deadline, the
 * ready gate (nothing is queued in the client while it is down), EVALSHA with EVAL on NOSCRIPT,
 * error mapping, the `bus` (PUBLISH through the same bounded calls, SUBSCRIBE on one connection
 * of its own: see {@link RedisBus}), and `close()` that closes the bus's connection, lets started
 * calls finish, then closes an owned client (draining it for at most `timeoutMs`, then dropping
 * it: see {@link closeClient}).
 * @throws {InvalidOptionError} (from `@mcp-persist/cache-core`) for a `timeoutMs` that is not a positive finite number.
 */
export function createRedisStore<Client>(parts: RedisStoreParts<Client>): RedisStore<Client> {
  return new RedisClientStore(parts, resolveTimeoutMs(parts.package, parts.timeoutMs));
}

const toUndefined = (value: string | null): string | undefined => value ?? undefined;
const removed = (count: number): boolean => count > 0;

class RedisClientStore<Client> implements RedisStore<Client> {
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  readonly client: Client;
  readonly bus: StoreBus;
  readonly #bus: RedisBus;
  readonly #pkg: string;
  readonly #adapter: RedisClientAdapter<Client>;
  readonly #ownsClient: boolean;
  readonly #readiness: Readiness;
  readonly #owner: CallOwner;
  readonly #scripts: ScriptRegistry;
  #closing: Promise<void> | undefined;
  #inFlight = 0;
  #drained: (() => void) | undefined;

  constructor(parts: RedisStoreParts<Client>, timeoutMs: number) {
    this.name = parts.name;
    this.capabilities = Object.freeze({
      shared: true,
      cluster: parts.adapter.cluster,
      deadlineMs: timeoutMs,
    });
    this.client = parts.adapter.client;
    this.#pkg = parts.package;
    this.#adapter = parts.adapter;
    this.#scripts = new ScriptRegistry(parts.adapter);
    this.#ownsClient = parts.ownsClient;
    this.#readiness = new Readiness(parts.adapter);
    const adapter = parts.adapter;
    // What each PendingCall reads from the store: one shared object, not fields copied per call.
    this.#owner = {
      pkg: parts.package,
      timeoutMs,
      deadlines: new DeadlineQueue(timeoutMs),
      isReplyError: (error) => adapter.isReplyError(error),
      ended: () => {
        if (--this.#inFlight === 0) this.#drained?.();
      },
    };
    this.#bus = new RedisBus({
      pkg: parts.package,
      name: parts.name,
      adapter,
      publish: (channel, message) =>
        this.#call("publish", (call) => adapter.publish(channel, message, call), noop),
      afterFirstReady: (open) => {
        if (this.#readiness.state() !== "starting") {
          open();
          return noop;
        }
        return this.#readiness.whenReady(open);
      },
    });
    this.bus = this.#bus;
  }

  // get and delete are the cache's hot path: no async wrapper, one promise per call.
  get(key: string): Promise<string | undefined> {
    return this.#call("get", (call) => this.#adapter.get(key, call), toUndefined);
  }

  delete(key: string): Promise<boolean> {
    return this.#call("delete", (call) => this.#adapter.del(key, call), removed);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#assertOpen("set");
    assertTtlMs(ttlMs, this.#pkg);
    if (typeof value !== "string")
      throw new TypeError(`[${this.#pkg}] set() takes a string value, got ${typeof value}`);
    const ms = Math.min(Math.ceil(ttlMs), MAX_TTL_MS);
    await this.#call("set", (call) => this.#adapter.set(key, value, ms, call), noop);
  }

  run<R extends ScriptReply>(
    script: Script<R>,
    keys: readonly string[],
    args: readonly ScriptArg[],
    options?: RunOptions<R>,
  ): Promise<R> {
    const argv = args.map(String);
    // Arrows passed straight in, not kept in variables: the build keeps function names, and an
    // arrow stored in a variable has its name set (Object.defineProperty) each time it is made.
    return this.#call(
      "run",
      (call): Promise<unknown> => this.#scripts.run(script, keys, argv, call),
      (reply) => toScriptReply(reply, this.#pkg, script.name) as R,
      script.name,
      options?.onLateReply,
    );
  }

  ping(): Promise<number> {
    const send = async () => {
      const started = performance.now();
      await this.#adapter.ping();
      return Math.max(0, performance.now() - started);
    };
    return this.#call("ping", send, (ms) => ms);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // At once: subscriptions end with close(), and nothing on that connection is worth waiting for.
    this.#bus.close();
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    this.#readiness.dispose();
    if (this.#ownsClient) await closeClient(this.#adapter, this.#owner.timeoutMs);
  }

  #assertOpen(operation: string): void {
    if (this.#closing !== undefined) throw new StoreClosedError(this.#pkg, this.name, operation);
  }

  /**
   * One bounded call: sends once the client is ready (waiting only while it starts), rejects
   * after `timeoutMs` whatever the client does, and marks the call settled then, so the adapter
   * never writes a script late. `map` turns the reply into the result (a throw rejects); a reply
   * that arrives after the deadline goes, mapped, to `onLate`.
   */
  #call<T, R>(
    operation: string,
    send: Send<T>,
    map: (value: T) => R,
    script?: string,
    onLate?: (result: R) => void,
  ): Promise<R> {
    if (this.#closing !== undefined)
      return Promise.reject(new StoreClosedError(this.#pkg, this.name, operation));
    const state = this.#readiness.state();
    if (state === "down") {
      const reason = "the client lost its connection and is reconnecting";
      return Promise.reject(new StoreUnavailableError(this.#pkg, operation, reason));
    }
    this.#inFlight++;
    return new Promise<R>((resolve, reject) => {
      const call = new PendingCall(this.#owner, operation, script, map, resolve, reject, onLate);
      this.#owner.deadlines.add(call);
      if (state === "ready") call.start(send);
      else call.cancelWait = this.#readiness.whenReady(() => call.start(send));
    });
  }
}
