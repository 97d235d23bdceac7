import { describe, expect, it } from "vitest";
import { envelopeHead, writeEnvelope } from "../src/envelope";
import { L1Tier } from "../src/l1-tier";

const tier = (maxEntries = 100, ttlMs = 1000) => new L1Tier({ maxEntries, ttlMs });

describe("L1Tier", () => {
  it("serves a copy until the earlier of ttlMs and the entry's own freshness", () => {
    const l1 = tier(100, 1000);
    l1.admit("a", "1|t|j1", Number.POSITIVE_INFINITY, 0, l1.ticket());
    l1.admit("b", "1500|t|j2", 500, 0, l1.ticket());
    expect(l1.get("a", 999)).toBe("1|t|j1");
    expect(l1.get("b", 499)).toBe("1500|t|j2");
    expect(l1.get("b", 500)).toBeUndefined();
    expect(l1.get("a", 1000)).toBeUndefined();
    l1.admit("c", "1|t|j3", 100, 100, l1.ticket()); // fresh no longer: not kept
    expect(l1.size).toBe(0);
  });

  it("refuses what a read that started before a drop or a clear brings back", () => {
    const l1 = tier();
    const before = l1.ticket();
    l1.drop("a");
    l1.admit("a", "1|t|old", Number.POSITIVE_INFINITY, 0, before);
    l1.admit("b", "1|t|other key", Number.POSITIVE_INFINITY, 0, before);
    expect(l1.get("a", 0)).toBeUndefined();
    expect(l1.get("b", 0)).toBe("1|t|other key");
    const after = l1.ticket();
    l1.admit("a", "1|t|new", Number.POSITIVE_INFINITY, 0, after);
    expect(l1.get("a", 0)).toBe("1|t|new");
    l1.clear();
    l1.admit("c", "1|t|c", Number.POSITIVE_INFINITY, 0, after);
    expect(l1.size).toBe(0);
  });

  it("keeps a copy of the very write a message names, and drops any other", () => {
    const l1 = tier();
    const written = writeEnvelope(5000, "7.9", "j1");
    const other = writeEnvelope(5001, "7.9", "j1");
    l1.admit("a", written, 5000, 0, l1.ticket());
    expect(l1.drop("a", envelopeHead(written))).toBe(false);
    expect(l1.get("a", 0)).toBe(written);
    expect(l1.drop("a", envelopeHead(other))).toBe(true);
    expect(l1.get("a", 0)).toBeUndefined();
    // A read in flight across that message: the very write it names is admitted, nothing older.
    const ticket = l1.ticket();
    l1.drop("a", envelopeHead(other));
    l1.admit("a", written, 5000, 0, ticket);
    expect(l1.get("a", 0)).toBeUndefined();
    l1.admit("a", other, 5001, 0, ticket);
    expect(l1.get("a", 0)).toBe(other);
  });

  it("holds at most maxEntries", () => {
    const l1 = tier(8);
    for (let i = 0; i < 8; i++) l1.admit(`k${i}`, `1|t|${i}`, Number.POSITIVE_INFINITY, 0, l1.ticket());
    l1.get("k0", 0); // the oldest, but read
    for (let i = 8; i < 100; i++) {
      l1.admit(`k${i}`, `1|t|${i}`, Number.POSITIVE_INFINITY, 0, l1.ticket());
      expect(l1.size).toBeLessThanOrEqual(8);
    }
    expect(l1.get("k99", 0)).toBe("1|t|99");
  });

  it("stays bounded however many keys are dropped, refusing in-flight reads past the bound", () => {
    const l1 = tier();
    const before = l1.ticket();
    for (let i = 0; i < 10_000; i++) l1.drop(`k${i}`);
    l1.admit("never-dropped", "1|t|x", Number.POSITIVE_INFINITY, 0, before);
    expect(l1.size).toBe(0);
  });
});
