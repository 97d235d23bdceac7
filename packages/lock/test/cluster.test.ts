import { clusterStoreKinds, PATIENT_TIMEOUT_MS } from "@mcp-persist/test-kit";
import { type RedisCluster, redisCommand, startRedisCluster } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { once } from "../src/index";
import { lockKeys } from "../src/keys";
import { contend } from "./support/contend";
import { freshNamespace } from "./support/namespace";
import { assertNoOverlap } from "./support/overlap";
import { SCENARIO_REPLIES, scriptScenario } from "./support/script-scenario";

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 30_000);
afterAll(() => cluster?.stop());

// The stores wait PATIENT_TIMEOUT_MS for a slot map built on a loaded machine; the lock must
// wait as long, or its default storeTimeoutMs (250 ms) gives up first.
const patient = { storeTimeoutMs: PATIENT_TIMEOUT_MS };

const kinds = clusterStoreKinds(() => cluster);

describe("Redis Cluster", () => {
  it.each([
    ["a plain name", "send-email:u1"],
    ["braces", "a{b}c"],
    ["reversed braces", "}{"],
    ["a 500-character name", "x".repeat(500)],
  ])("keeps the keys of %s in one slot", async (_label, resource) => {
    const port = cluster.rootNodes[0]?.port ?? 0;
    for (const kind of ["lock", "once"] as const) {
      const keys = Object.values(lockKeys("mcp", kind, resource));
      const slots = await Promise.all(keys.map((key) => redisCommand(port, "CLUSTER", "KEYSLOT", key)));
      expect(new Set(slots).size).toBe(1);
    }
  });
});

describe.each(kinds)("$name Cluster", (kind) => {
  it("runs every script path as on a single server", async () => {
    expect(await scriptScenario(kind.open())).toEqual(SCENARIO_REPLIES);
  });

  it("keeps 30 concurrent callers apart", async () => {
    const { events, ran, busy } = await contend(kind.open(), freshNamespace(), 30, undefined, patient);
    expect(ran + busy).toBe(30);
    expect(assertNoOverlap(events)).toBe(ran);
  });

  it("runs a side effect once", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    let sent = 0;
    const send = () => ++sent;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        once(store, "k", send, { namespace, waitMs: 3000, retryMaxMs: 20, ...patient }),
      ),
    );
    expect(sent).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([...Array(9).fill("done"), "ran"]);
  });
});
