// Figures for the event store: storeEvent and replay throughput on the in-process store and on
// Redis (ioredis, node-redis), and Redis memory per 1,000 events. A measurement, not a test:
//   REDIS_URL=redis://127.0.0.1:<port> npx tsx packages/mcp/bench/event-store-figures.ts
// (without REDIS_URL, only the in-process store). Messages are progress notifications of ~120
// bytes and tool results of ~1 KB; a fresh stream per run.
import { randomUUID } from "node:crypto";
import type { Store } from "@mcp-persist/cache-core";
import { createEventStore } from "@mcp-persist/mcp";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { lruStore } from "@mcp-persist/store-lru";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { Redis } from "ioredis";

const EVENTS = 5000;
const progress = (n: number) => ({
  jsonrpc: "2.0",
  method: "notifications/progress",
  params: { progressToken: "tok-1234567890", progress: n, total: EVENTS, message: `step ${n} of ${EVENTS}` },
});
const result = (n: number) => ({
  jsonrpc: "2.0",
  id: n,
  result: { content: [{ type: "text", text: "x".repeat(1000) }] },
});

async function throughput(label: string, store: Store, make: (n: number) => object, concurrency: number) {
  const events = createEventStore(store, { maxEventsPerStream: EVENTS, maxAgeMs: 600_000 });
  const stream = randomUUID();
  const first = await events.storeEvent(stream, {});
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < EVENTS) await events.storeEvent(stream, make(next++));
    }),
  );
  const storeMs = performance.now() - started;
  let replayed = 0;
  const replayStart = performance.now();
  await events.replayEventsAfter(first, { send: async () => void replayed++ });
  const replayMs = performance.now() - replayStart;
  console.log(
    `${label.padEnd(40)} storeEvent ${Math.round((EVENTS / storeMs) * 1000)
      .toString()
      .padStart(7)} /s   replay ${Math.round((replayed / replayMs) * 1000)
      .toString()
      .padStart(8)} events/s (${replayed} events)`,
  );
}

async function memoryPer1000(url: string, make: (n: number) => object, label: string) {
  const prefix = `mem-${randomUUID()}`;
  const store = ioredisStore({ connection: url, timeoutMs: 5000 });
  const raw = new Redis(url);
  const events = createEventStore(store, { namespace: prefix, maxEventsPerStream: 1000, maxAgeMs: 600_000 });
  const stream = randomUUID();
  await raw.call("MEMORY", "PURGE");
  const before = Number(/used_memory:(\d+)/.exec(await raw.info("memory"))?.[1]);
  for (let n = 0; n < 1000; n++) await events.storeEvent(stream, make(n));
  const after = Number(/used_memory:(\d+)/.exec(await raw.info("memory"))?.[1]);
  const list = `${prefix}:events:{${stream}}`;
  const usage = Number(await raw.call("MEMORY", "USAGE", list, "SAMPLES", "0"));
  const head = Number(await raw.call("MEMORY", "USAGE", `${list}:n`));
  const bytes = JSON.stringify(make(1)).length;
  console.log(
    `${label.padEnd(40)} MEMORY USAGE ${usage + head} B (list ${usage} + head ${head}); INFO used_memory delta ${after - before} B; message ${bytes} B → ${Math.round((usage + head) / 1000 - bytes)} B overhead/event`,
  );
  await raw.quit();
  await store.close();
}

const url = process.env.REDIS_URL;
for (const concurrency of [1, 32]) {
  await throughput(
    `lru, progress, concurrency ${concurrency}`,
    lruStore({ max: 100_000 }),
    progress,
    concurrency,
  );
  await throughput(
    `lru, 1 KB results, concurrency ${concurrency}`,
    lruStore({ max: 100_000 }),
    result,
    concurrency,
  );
  if (url === undefined) continue;
  for (const [name, open] of [
    ["ioredis", () => ioredisStore({ connection: url, timeoutMs: 5000 })],
    ["node-redis", () => nodeRedisStore({ connection: { url }, timeoutMs: 5000 })],
  ] as const) {
    const store = open();
    await throughput(`${name}, progress, concurrency ${concurrency}`, store, progress, concurrency);
    await throughput(`${name}, 1 KB results, concurrency ${concurrency}`, store, result, concurrency);
    await store.close();
  }
}
if (url !== undefined) {
  await memoryPer1000(url, progress, "Redis, 1,000 progress events");
  await memoryPer1000(url, result, "Redis, 1,000 1 KB results");
}
