import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { silentLogger } from "@mcp-persist/cache-core";
import type { StoreName } from "../cli-options";
import type { BenchContext } from "../context";
import type { Role, Unavailable } from "../plan";
import { optionalImport } from "./optional-import";

/** The `EventStore` both SDK lines take, as the benchmark uses it. */
export interface EventStoreLike {
  storeEvent(streamId: string, message: object): Promise<string>;
  replayEventsAfter(
    lastEventId: string,
    options: { send: (eventId: string, message: object) => Promise<void> },
  ): Promise<string>;
}

/** An event store to measure: ours on one of the run's stores, or the SDK's in-memory example. */
export interface EventStoreSubject {
  /** `lru`, `ioredis`, `node-redis`, or `sdk-example`. */
  id: string;
  label: string;
  role: Role;
  library: string;
  store?: StoreName;
  onRedis: boolean;
  /** Keeps every event it is given (no retention bound): replays are measured on a store of its own. */
  unbounded?: boolean;
  /**
   * A fresh event store. Ours never rejects a write it could not make (it warns and hands out an
   * id that replays nothing, so the SDK sends the message anyway): `fail` hears of it, and the
   * line fails instead of timing writes that never reached the store.
   */
  open(fail: (why: string) => void): EventStoreLike;
}

/** How long events are kept: every key of the run also expires, on a lent Redis too. */
const MAX_AGE_MS = 600_000;
/** A slow moment on a loaded machine must not turn a write into an unstored one (default 250 ms). */
const STORE_TIMEOUT_MS = 1000;

/**
 * `createEventStore` on each store of the run (one store per kind, shared by its lines, as one
 * server shares its store between its transports), then the SDK's example store when installed.
 */
export async function eventStoreSubjects(
  ctx: BenchContext,
  unavailable: Unavailable[],
): Promise<EventStoreSubject[]> {
  const mcp = await optionalImport(() => import("@mcp-persist/mcp"), "createEventStore");
  if (typeof mcp === "string") {
    unavailable.push({
      workload: "event-store",
      what: "event store (@mcp-persist/mcp createEventStore)",
      reason: mcp,
    });
    return [];
  }
  const subjects: EventStoreSubject[] = [...ctx.stores].map(([name, make]) => {
    const store = make();
    return {
      id: name,
      label: `createEventStore · store-${name}`,
      role: "ours",
      library: `@mcp-persist/mcp + store-${name}`,
      store: name,
      onRedis: name !== "lru",
      open: (fail) =>
        mcp.createEventStore(store, {
          namespace: ctx.runId,
          maxAgeMs: MAX_AGE_MS,
          storeTimeoutMs: STORE_TIMEOUT_MS,
          logger: {
            ...silentLogger,
            warn: (fields: object, message?: string) => fail(describe(fields, message)),
          },
        }),
    };
  });
  const sdk = await sdkExampleStore();
  if (typeof sdk === "string") {
    unavailable.push({
      workload: "event-store",
      what: "the SDK's in-memory example event store (baseline)",
      reason: sdk,
    });
  } else {
    subjects.push({
      id: "sdk-example",
      label: "SDK InMemoryEventStore (example)",
      role: "baseline",
      library: `@modelcontextprotocol/sdk ${sdk.version} examples/shared/inMemoryEventStore`,
      onRedis: false,
      unbounded: true,
      open: () => new sdk.InMemoryEventStore(),
    });
  }
  return subjects;
}

function describe(fields: object, message: string | undefined): string {
  const { event, err } = fields as { event?: string; err?: unknown };
  return `${event ?? "warning"}: ${message ?? ""}${err === undefined ? "" : ` (${String(err)})`}`;
}

/**
 * The in-memory `EventStore` that `@modelcontextprotocol/sdk` ships as an example (no bound, no
 * expiry, one process). The benchmark does not depend on the SDK: it is looked for where
 * `@mcp-persist/mcp`, which takes the SDK as a peer, finds it.
 */
async function sdkExampleStore(): Promise<
  { InMemoryEventStore: new () => EventStoreLike; version: string } | string
> {
  let path: string;
  try {
    const fromMcp = createRequire(createRequire(import.meta.url).resolve("@mcp-persist/mcp"));
    path = fromMcp.resolve("@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js");
  } catch {
    return "@modelcontextprotocol/sdk is not installed beside @mcp-persist/mcp";
  }
  const root = path.slice(0, path.lastIndexOf("/dist/"));
  const { version } = JSON.parse(await readFile(`${root}/package.json`, "utf8")) as { version: string };
  const module = (await import(pathToFileURL(path).href)) as {
    InMemoryEventStore?: new () => EventStoreLike;
  };
  return typeof module.InMemoryEventStore === "function"
    ? { InMemoryEventStore: module.InMemoryEventStore, version }
    : `@modelcontextprotocol/sdk ${version} does not export InMemoryEventStore from its examples`;
}
