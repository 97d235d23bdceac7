// The heap behind the state keyspace's LRU order, on its own: whatever the mix of uses and removals,
// `oldest()` is the live item used longest ago, through re-placements and bulk sweeps of removed items.
import fc from "fast-check";
import { expect, it } from "vitest";
import { type Recency, RecencyHeap } from "../src/recency-heap";

interface Item extends Recency {
  readonly id: number;
}

it("gives the least recently used live item, whatever was added, used and removed before", () => {
  const step = fc.oneof(
    { arbitrary: fc.constant({ op: "add" as const, pick: 0 }), weight: 3 },
    { arbitrary: fc.nat().map((pick) => ({ op: "touch" as const, pick })), weight: 4 },
    { arbitrary: fc.nat().map((pick) => ({ op: "remove" as const, pick })), weight: 2 },
    { arbitrary: fc.constant({ op: "evict" as const, pick: 0 }), weight: 1 },
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 2000, size: "max" }), (steps) => {
      const heap = new RecencyHeap<Item>();
      const live: Item[] = []; // least recently used first: the model
      let next = 0;
      for (const { op, pick } of steps) {
        if (op === "add") {
          const item: Item = { id: next++, used: 0, queued: 0 };
          heap.add(item);
          live.push(item);
        } else if (live.length === 0) {
          continue;
        } else if (op === "touch") {
          const [item] = live.splice(pick % live.length, 1) as [Item];
          heap.touch(item);
          live.push(item);
        } else if (op === "remove") {
          const [item] = live.splice(pick % live.length, 1) as [Item];
          heap.remove(item);
        } else {
          const oldest = heap.oldest();
          expect(oldest?.id).toBe(live[0]?.id);
          heap.remove(oldest as Item);
          live.shift();
        }
        expect(heap.oldest()?.id).toBe(live[0]?.id);
      }
      expect(heap.ordered().map((item) => item.id)).toEqual(live.map((item) => item.id));
    }),
    { numRuns: 200 },
  );
});

it("forgets everything on clear, and orders what comes after", () => {
  const heap = new RecencyHeap<Item>();
  const items = Array.from({ length: 5 }, (_, id): Item => ({ id, used: 0, queued: 0 }));
  for (const item of items) heap.add(item);
  heap.clear();
  expect([heap.oldest(), heap.ordered()]).toEqual([undefined, []]);
  heap.add(items[3] as Item);
  heap.add(items[1] as Item);
  heap.touch(items[3] as Item);
  expect(heap.ordered().map((item) => item.id)).toEqual([1, 3]);
});
