import { randomUUID } from "node:crypto";
import { LOCK_BUSY_MESSAGE } from "@mcp-persist/lock";
import { expect } from "vitest";
import { assertCallToolResult, type SdkLine, type TestClient, type ToolResult, textOf } from "./clients";
import { scrape } from "./metrics";

// The checks every transport runs, written once: a client of the SDK line under test and, where
// the check reads /metrics, the URL of the server's operator endpoints.

/** Counters of one tool, read from /metrics. */
async function counts(opsUrl: URL, tool: string) {
  const sample = await scrape(opsUrl);
  return {
    upstream: sample("mcp_upstream_calls_total", { tool }),
    hits: sample("cache_hits_total", { tool }),
    misses: sample("cache_misses_total", { tool }),
  };
}

function structured(result: ToolResult): Record<string, unknown> {
  expect(result.isError, textOf(result)).not.toBe(true);
  return result.structuredContent as Record<string, unknown>;
}

/**
 * The second identical `search_docs` call (its arguments in another order) is the first one's
 * answer, stamped with the same upstream call, and /metrics counts one upstream call, one miss
 * and one hit. `second` may be a client of another process sharing the store: then `secondOps`
 * is that process's /metrics, where the hit shows and no upstream call does.
 */
export async function expectSearchServedFromCache(
  first: TestClient,
  firstOps: URL,
  second: TestClient = first,
  secondOps: URL = firstOps,
): Promise<void> {
  const query = `caching ${randomUUID().slice(0, 8)}`;
  const shared = secondOps.href === firstOps.href;
  const before = await counts(firstOps, "search_docs");
  const beforeSecond = shared ? before : await counts(secondOps, "search_docs");

  const miss = structured(await first.callTool("search_docs", { query, limit: 3 }));
  const hit = await second.callTool("search_docs", { limit: 3, query });
  expect(structured(hit)).toEqual(miss);
  expect(textOf(hit)).toContain(`upstreamCall: ${miss.upstreamCall}`);

  const after = await counts(firstOps, "search_docs");
  const afterSecond = shared ? after : await counts(secondOps, "search_docs");
  expect(after.upstream - before.upstream).toBe(1);
  expect(after.misses - before.misses).toBe(1);
  expect(afterSecond.hits - beforeSecond.hits).toBe(1);
  if (!shared) expect(afterSecond.upstream - beforeSecond.upstream).toBe(0);
}

/**
 * Two callers each get their own `get_metrics` answer, naming themselves, and a caller's repeat
 * is its own cached answer: never the other's.
 */
export async function expectMetricsPerCaller(
  alice: TestClient,
  aliceName: string,
  bob: TestClient,
  bobName: string,
): Promise<void> {
  const aliceFirst = structured(await alice.callTool("get_metrics", { window: "1h" }));
  const bobFirst = structured(await bob.callTool("get_metrics", { window: "1h" }));
  const aliceAgain = structured(await alice.callTool("get_metrics", { window: "1h" }));
  const bobAgain = structured(await bob.callTool("get_metrics", { window: "1h" }));
  expect(aliceFirst.caller).toBe(aliceName);
  expect(bobFirst.caller).toBe(bobName);
  expect(aliceAgain).toEqual(aliceFirst);
  expect(bobAgain).toEqual(bobFirst);
}

function email(subject: string, to = `${randomUUID().slice(0, 8)}@example.com`) {
  return { to, subject, body: "hello" };
}

/**
 * Five `send_email` calls in a minute go through; the sixth is refused with the guides' text,
 * its wait in `_meta.retryAfterMs`, and parses as the SDK line's `CallToolResult`.
 */
export async function expectSixthEmailDenied(line: SdkLine, client: TestClient): Promise<void> {
  for (let n = 1; n <= 5; n += 1) structured(await client.callTool("send_email", email(`note ${n}`)));
  const denied = await client.callTool("send_email", email("note 6"));
  expect(denied.isError).toBe(true);
  expect(textOf(denied)).toMatch(
    /^Rate limit exceeded: max 5 send_email calls per minute\. Retry after \d+ s\.$/,
  );
  const retryAfterMs = denied._meta?.retryAfterMs;
  expect(retryAfterMs).toBeGreaterThan(0);
  expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  assertCallToolResult(line, denied);
}

/**
 * Two `send_email` calls to one recipient at once: one sends, the other gets the busy text and
 * its rate-limit unit back. Proof of the refund: four more sends go through (five in all, the
 * limit), and only the one after them is refused.
 */
export async function expectBusyRecipientRefunded(client: TestClient): Promise<void> {
  const to = `${randomUUID().slice(0, 8)}@example.com`;
  const pair = await Promise.all([
    client.callTool("send_email", email("first", to)),
    client.callTool("send_email", email("second", to)),
  ]);
  const busy = pair.filter((result) => result.isError === true);
  expect(busy.map(textOf)).toEqual([LOCK_BUSY_MESSAGE]);
  for (let n = 1; n <= 4; n += 1) structured(await client.callTool("send_email", email(`more ${n}`)));
  const denied = await client.callTool("send_email", email("one too many"));
  expect(textOf(denied)).toMatch(/^Rate limit exceeded/);
}
