import { bumpGenerationScript, readGenerationScript } from "@mcp-persist/cache-core/generation-scripts";
import { leaseScripts } from "@mcp-persist/cache-core/lease-scripts";
import { sampleScripts } from "@mcp-persist/cache-core/testing";
import { lockScripts } from "@mcp-persist/lock";
import { mcpScripts } from "@mcp-persist/mcp";
import {
  gcraCheck,
  gcraRefund,
  slidingLogCheck,
  slidingLogRefund,
  slidingWindowCheck,
  slidingWindowRefund,
} from "@mcp-persist/ratelimit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectParity,
  exportedScripts,
  kitScripts,
  type ParityCall,
  redisStoreKinds,
  useRedis,
} from "../src/index";

const redis = useRedis();
const kinds = redisStoreKinds(redis);
/** Both Redis clients, against the same server, for one parity run. */
const bothClients = () => kinds.map((kind) => kind.open());

/** Time between calls: mostly within one millisecond or a few, sometimes past windows and TTLs. */
const advance = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4000 }));
const ttl = fc.constantFrom(1, 1000, 2500, 60_000);

/** Runs generated sequences through both bodies on both clients. */
async function property(calls: fc.Arbitrary<ParityCall>, numRuns = 20): Promise<void> {
  const stores = bothClients();
  await fc.assert(
    fc.asyncProperty(
      fc.array(calls, { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 0, max: 5000 }),
      (sequence, settleMs) => expectParity(stores, sequence, { settleMs }),
    ),
    { numRuns },
  );
}

/** Which parity case covers each script, by name: the completeness check below reads it. */
const covered = new Set<string>();
const cover = (...names: string[]) => {
  for (const name of names) covered.add(name);
};

describe("cache-core", () => {
  cover(readGenerationScript.name, bumpGenerationScript.name);
  it("generation scripts: reads and bumps of two keys, across their TTLs", () =>
    property(
      fc.record({
        script: fc.constantFrom(readGenerationScript, bumpGenerationScript),
        keys: fc.constantFrom(["g:0"], ["g:1"]),
        args: ttl.map((ms) => [ms]),
        advanceMs: advance,
      }),
    ));

  cover(
    ...Object.values(sampleScripts).map((script) => script.name),
    ...Object.values(kitScripts).map((s) => s.name),
  );
  it("the conformance kit's sample scripts and the kit's own get/set/delete", () =>
    property(
      fc
        .oneof(
          fc.record({
            script: fc.constant(sampleScripts.incrWithTtl),
            keys: fc.constant(["n"]),
            args: fc.tuple(fc.integer({ min: -3, max: 3 }), ttl),
          }),
          fc.record({
            script: fc.constant(sampleScripts.getAndPttl),
            keys: fc.constantFrom(["n"], ["s"]),
            args: fc.constant([]),
          }),
          fc.record({
            script: fc.constant(sampleScripts.compareAndDelete),
            keys: fc.constantFrom(["n"], ["s"]),
            args: fc.constantFrom(["1"], ["a"], ["b"]).map((a) => [...a]),
          }),
          fc.record({
            script: fc.constant(kitScripts.set),
            keys: fc.constant(["s"]),
            args: fc.tuple(fc.constantFrom("a", "b"), ttl),
          }),
          fc.record({
            script: fc.constantFrom(kitScripts.get, kitScripts.delete),
            keys: fc.constantFrom(["n"], ["s"]),
            args: fc.constant([]),
          }),
          fc.record({
            script: fc.constant(sampleScripts.slidingLog),
            keys: fc.constant(["log"]),
            args: fc.tuple(
              fc.integer({ min: 0, max: 20 }),
              fc.constantFrom(5, 10),
              fc.constantFrom("m0", "m1", "m2"),
              ttl,
            ),
          }),
        )
        .chain((call) => advance.map((advanceMs) => ({ ...call, advanceMs }) as ParityCall)),
    ));
});

describe("cache-core fleet lease", () => {
  const { acquire, renew, release } = leaseScripts;
  cover(...Object.values(leaseScripts).map((script) => script.name));
  const token = fc.constantFrom("t0", "t1", "t2");
  const lease = fc.constantFrom(1, 50, 1000, 5000);
  it("lease scripts: takers, renewals and releases by token on two entries, across their TTLs", () =>
    property(
      fc
        .tuple(fc.constantFrom("{e0}:~lease", "{e1}:~lease"), token, lease, fc.integer({ min: 0, max: 2 }))
        .chain(([key, t, ms, op]) => {
          const calls: ParityCall[] = [
            { script: acquire, keys: [key], args: [t, ms] },
            { script: renew, keys: [key], args: [t, ms] },
            { script: release, keys: [key], args: [t] },
          ];
          return advance.map((advanceMs) => ({ ...(calls[op] as ParityCall), advanceMs }));
        }),
      30,
    ));
});

describe("lock", () => {
  const { acquire, extend, release, onceBegin, onceCommit, onceAbandon, batch } = lockScripts;
  cover(...Object.values(lockScripts).map((script) => script.name));
  const resource = fc.constantFrom("{r0}", "{r1}");
  const token = fc.constantFrom("t0", "t1", "t2");
  const lease = fc.constantFrom(1, 50, 1000, 3000);
  const call: fc.Arbitrary<ParityCall> = fc
    .tuple(resource, token, lease, fc.integer({ min: 0, max: 7 }))
    .chain(([r, t, ms, op]) => {
      const [lock, fence, record] = [`${r}:lock`, `${r}:fence`, `${r}:record`];
      const calls: ParityCall[] = [
        { script: acquire, keys: [lock, fence], args: [t, ms, 60_000] },
        { script: extend, keys: [lock], args: [t, ms] },
        { script: release, keys: [lock], args: [t] },
        { script: onceBegin, keys: [lock, fence, record], args: [t, ms, 60_000, 2000] },
        { script: onceCommit, keys: [lock, record], args: [t, `j{"id":${op}}`, 2000] },
        { script: onceAbandon, keys: [lock, record], args: [t] },
        // Batches (several acquires and releases in one call, as a tick's go to Redis), as
        // `lock-batch` lays them out: 2 keys and 4 arguments per call, which script first.
        { script: batch, keys: [lock, fence, lock, lock], args: [1, t, ms, 60_000, 2, t, "", ""] },
        { script: batch, keys: [lock, lock, lock, fence], args: [2, t, "", "", 1, "t9", ms, 60_000] },
      ];
      return advance.map((advanceMs) => ({ ...(calls[op] as ParityCall), advanceMs }));
    });
  it("every lock script: holders, leases, records and fencing counters on two resources", () =>
    property(call, 30));
});

describe("ratelimit", () => {
  const algorithms = [
    { check: slidingWindowCheck, refund: slidingWindowRefund },
    { check: slidingLogCheck, refund: slidingLogRefund },
    { check: gcraCheck, refund: gcraRefund },
  ];
  // Windows that do not divide evenly by their limits, so rounding is exercised.
  const rules = [
    { limit: 5, windowMs: 1000 },
    { limit: 3, windowMs: 700 },
    { limit: 2, windowMs: 1000 },
  ];
  const ruleArgs = (chosen: typeof rules) => chosen.flatMap((rule) => [rule.limit, rule.windowMs]);
  for (const { check, refund } of algorithms) {
    cover(check.name, refund.name);
    // ARGV layouts as the scripts' headers document them: checks `rules, limit_i, window_i…, cost_c…`,
    // refunds `cost, charged at, limit_i, window_i…`.
    const call: fc.Arbitrary<ParityCall> = fc
      .uniqueArray(fc.constantFrom(...rules), { minLength: 1, maxLength: 2 })
      .chain((chosen) =>
        fc.record({
          chosen: fc.constant(chosen),
          slots: fc.shuffledSubarray(["k0", "k1", "k2"], {
            minLength: chosen.length,
            maxLength: chosen.length,
          }),
          costs: fc.array(fc.integer({ min: 1, max: Math.min(...chosen.map((rule) => rule.limit)) }), {
            minLength: 1,
            maxLength: 3,
          }),
          refund: fc.boolean(),
          chargedAgo: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1500 })),
          advanceMs: advance,
        }),
      )
      .map(({ chosen, slots, costs, refund: isRefund, chargedAgo, advanceMs }) =>
        isRefund
          ? {
              script: refund,
              keys: slots,
              // The charge's server time: some milliseconds before the call, often the same one.
              args: (now: number) => [costs[0] as number, now - chargedAgo, ...ruleArgs(chosen)],
              advanceMs,
            }
          : {
              script: check,
              keys: costs.flatMap(() => slots),
              args: [chosen.length, ...ruleArgs(chosen), ...costs],
              advanceMs,
            },
      );
    it(`${check.name} and ${refund.name}: batched checks under changing limits, and refunds`, () =>
      property(call));

    // A fixed case: one key charged under a window of 1000 ms, then of 700 ms (a deploy that
    // changes it) while both windows' slot numbers agree (at the clock's start, slot 0 of each),
    // where a counter's slot number alone cannot tell that its TTL came from another window.
    it(`${check.name}: one key charged under a window of 1000 ms, then 700 ms in a slot numbered alike`, () =>
      expectParity(bothClients(), [
        { script: check, keys: ["k"], args: [1, 5, 1000, 1] },
        { script: check, keys: ["k"], args: [1, 5, 700, 1], advanceMs: 10 },
        { script: check, keys: ["k"], args: [1, 5, 1000, 1], advanceMs: 10 },
      ]));

    // A fixed regression: one key checked under a window of 10 s, then 1 s (a deploy that
    // changes it), then 10 s again, at a limit that just fits what Redis still holds. The 1 s
    // check leaves the unit of t = 0 behind, which Redis removes for good; the in-process log,
    // which drops such units in bulk, once kept it and counted it again under 10 s.
    it(`${check.name}: a unit a short window left behind is not counted again under a longer one`, () =>
      expectParity(bothClients(), [
        { script: check, keys: ["k"], args: [1, 40, 10_000, 1] },
        { script: check, keys: ["k"], args: [1, 40, 10_000, 20], advanceMs: 900 },
        { script: check, keys: ["k"], args: [1, 40, 1000, 1], advanceMs: 600 },
        { script: check, keys: ["k"], args: [1, 22, 10_000, 1], advanceMs: 100 },
      ]));

    // A fixed regression: one key checked against a limit of 20, then of 2 (a rolling deploy that
    // lowers it), then 20 again, all in one millisecond; then the first three charges refunded.
    it(`${check.name} and ${refund.name}: 12 calls at 20, 1 at 2, then 30 at 20 on one key, at one time, then 3 refunds and 5 calls at 20`, () => {
      const checks = (limit: number, count: number): ParityCall[] =>
        Array.from({ length: count }, () => ({ script: check, keys: ["k"], args: [1, limit, 60_000, 1] }));
      // The first twelve calls were allowed at the clock's (unchanged) time.
      const refunds: ParityCall[] = Array.from({ length: 3 }, () => ({
        script: refund,
        keys: ["k"],
        args: (now: number) => [1, now, 20, 60_000],
      }));
      return expectParity(bothClients(), [
        ...checks(20, 12),
        ...checks(2, 1),
        ...checks(20, 30),
        ...refunds,
        ...checks(20, 5),
      ]);
    });
  }
});

describe("mcp", () => {
  const { storeEvent, replayEvents, sessionRead, sessionWrite } = mcpScripts;
  cover(...Object.values(mcpScripts).map((script) => script.name));
  // The clock's start (expectParity's default): the epoch of a stream whose first event is stored then.
  const start = "1700000000000";
  const maxAge = fc.constantFrom(1000, 2500, 60_000);
  const streamCall: fc.Arbitrary<ParityCall> = fc
    .tuple(fc.constantFrom("{s0}", "{s1}"), fc.boolean())
    .chain(([stream, store]) =>
      fc.record({
        script: fc.constant(store ? storeEvent : replayEvents),
        keys: fc.constant([stream, `${stream}:n`]),
        args: store
          ? fc.tuple(
              fc.constantFrom("{}", '{"a":1}', '{"jsonrpc":"2.0","method":"m"}'),
              fc.constantFrom(1, 3, 1000),
              maxAge,
            )
          : fc.tuple(
              fc.constantFrom(start, "1"),
              fc.integer({ min: 0, max: 8 }),
              fc.constantFrom(1, 2, 64),
              maxAge,
            ),
        advanceMs: advance,
      }),
    );
  it("event store: appends, count and age trimming, replays from any place, across epochs", async () => {
    const stores = bothClients();
    const first: ParityCall = { script: storeEvent, keys: ["{s0}", "{s0}:n"], args: ['{"a":0}', 3, 60_000] };
    await fc.assert(
      fc.asyncProperty(
        fc.array(streamCall, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 5000 }),
        (sequence, settleMs) => expectParity(stores, [first, ...sequence], { settleMs }),
      ),
      { numRuns: 30 },
    );
  });

  it("event store: a stream past its count bound replays only what it keeps", () =>
    expectParity(bothClients(), [
      ...Array.from(
        { length: 12 },
        (_, i): ParityCall => ({
          script: storeEvent,
          keys: ["{s}", "{s}:n"],
          args: [`{"i":${i}}`, 5, 60_000],
          advanceMs: i % 3,
        }),
      ),
      ...[0, 6, 7, 11, 12, 13].map(
        (after): ParityCall => ({
          script: replayEvents,
          keys: ["{s}", "{s}:n"],
          args: [start, after, 2, 60_000],
        }),
      ),
    ]));

  const state = fc.constantFrom("", '{"a":"j1"}', '{"a":"j1","b":"j2"}');
  it("session state: sliding reads, compare-and-set writes and removals", () =>
    property(
      fc.oneof(
        fc.record({
          script: fc.constant(sessionRead),
          keys: fc.constant(["{x}"]),
          args: ttl.map((ms) => [ms]),
          advanceMs: advance,
        }),
        fc.record({
          script: fc.constant(sessionWrite),
          keys: fc.constant(["{x}"]),
          args: fc.tuple(state, state, ttl),
          advanceMs: advance,
        }),
      ),
      30,
    ));
});

it("every exported script has a parity case here", async () => {
  const names = [...(await exportedScripts()).keys()];
  expect(names.filter((name) => !covered.has(name))).toEqual([]);
});
