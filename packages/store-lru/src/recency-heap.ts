/** What a {@link RecencyHeap} keeps on each of its items. */
export interface Recency {
  /** When the item was last used: a tick of its heap (larger is more recent, no two alike); {@link GONE} once removed. */
  used: number;
  /** `used` as of the item's place in the heap: its key there, which follows `used` lazily. */
  queued: number;
}

/**
 * `used` of a removed item, left in the heap (its key there unchanged, so the heap's order holds)
 * until it reaches the top or the heap is compacted.
 */
const GONE = -1;

/** Removed items the heap tolerates before it may compact (and then only past half of it). */
const COMPACT_AFTER = 32;

/**
 * Items in least-recently-used order, exactly, for one number written per use.
 *
 * A list kept in order (each use moves the item to the newest end) rewrites the links of the item,
 * of its two neighbours and of the newest item on every use; an in-process rate-limit check uses
 * its counter on every call, and that work was its largest part after the lookups. Here a use only
 * stamps the item. The items sit in a min-heap by the stamp they had when they were placed; an item
 * whose stamp moved on since is placed again when it reaches the top. An item at the top whose stamp
 * has not moved is the least recently used one: every other item was placed no earlier than it was
 * last used, and used no earlier than it was placed. So the order is only worked out when an item
 * must go (a bound reached), each use costing at most one re-placement then.
 */
export class RecencyHeap<T extends Recency> {
  #heap: T[] = [];
  #tick = 0;
  /** Removed items still in `#heap`. */
  #gone = 0;

  /** Adds `item` as the most recently used. */
  add(item: T): void {
    item.used = ++this.#tick;
    item.queued = item.used;
    // The latest stamp of all, placed last: the heap's order holds without moving it.
    this.#heap.push(item);
  }

  /** Makes `item`, one added and not removed, the most recently used. */
  touch(item: T): void {
    item.used = ++this.#tick;
  }

  /** Takes `item` out of the order. */
  remove(item: T): void {
    item.used = GONE;
    this.#gone++;
    if (this.#gone > COMPACT_AFTER && this.#gone > this.#heap.length >> 1) this.#compact();
  }

  /** The least recently used item (left in; {@link remove} takes it out), `undefined` if none. */
  oldest(): T | undefined {
    const heap = this.#heap;
    while (heap.length > 0) {
      const top = heap[0] as T;
      if (top.used === GONE) {
        this.#gone--;
        this.#popTop();
      } else if (top.queued !== top.used) {
        top.queued = top.used; // used since it was placed: placed again, as of its last use
        this.#siftDown(0);
      } else {
        return top;
      }
    }
    return undefined;
  }

  /** The items, least recently used first: a sort, for inspection. */
  ordered(): T[] {
    return this.#heap.filter((item) => item.used !== GONE).sort((a, b) => a.used - b.used);
  }

  /** Forgets every item. */
  clear(): void {
    this.#heap = [];
    this.#gone = 0;
  }

  #popTop(): void {
    const heap = this.#heap;
    const last = heap.pop() as T;
    if (heap.length === 0) return;
    heap[0] = last;
    this.#siftDown(0);
  }

  /** Drops the removed items and restores the heap's order over the rest, in linear time. */
  #compact(): void {
    this.#heap = this.#heap.filter((item) => item.used !== GONE);
    this.#gone = 0;
    for (let at = (this.#heap.length >> 1) - 1; at >= 0; at--) this.#siftDown(at);
  }

  #siftDown(from: number): void {
    const heap = this.#heap;
    const item = heap[from] as T;
    const length = heap.length;
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && (heap[right] as T).queued < (heap[left] as T).queued ? right : left;
      if ((heap[child] as T).queued >= item.queued) break;
      heap[at] = heap[child] as T;
      at = child;
    }
    heap[at] = item;
  }
}
