import { hasHead } from "./envelope";
import type { L1Settings } from "./resolve-options";

interface Copy {
  /** The entry's envelope, as the store holds it: generations and freshness travel with it. */
  readonly envelope: string;
  /** Clock time from which this copy is no longer served. */
  readonly until: number;
  /** Read since eviction last passed over it: it gets a second chance. */
  used: boolean;
}

/** A key's last drop: when, and which write (if any) it left in place. */
interface Drop {
  readonly epoch: number;
  readonly keep: string | undefined;
  /**
   * The epoch of the key's latest earlier drop that did not name `keep` (0: none remembered):
   * what a read from before it brings is refused, even `keep`'s head. A delete followed by a
   * rewrite in the same millisecond names the deleted write's head again; two processes' writes
   * may be named out of order.
   */
  readonly strictBefore: number;
}

/**
 * Drops remembered at most (see {@link L1Tier.drop}); past it they are forgotten all at once and
 * every read then in flight is refused admission, which is always safe.
 */
const MAX_DROPS = 4096;

/**
 * The in-process first tier: copies of the store's envelopes by storage key, read synchronously
 * on the hit path. A copy is served until the earliest of `l1.ttlMs` after it was taken and the
 * entry's own freshness (the envelope's freshUntil), and only while its generations are current
 * (the caller checks the token, as for a store read), so a copy never outlives what the store
 * itself would serve.
 *
 * Coherence: another process's write, delete or invalidation {@link drop}s a copy (or
 * {@link clear}s them all when messages may have been missed). A store read or write that was in
 * flight when its key was dropped brings back what the store held before the drop: it takes a
 * {@link ticket} before it starts and {@link admit} refuses it.
 *
 * Bounded by `l1.maxEntries`: past it, the oldest copies go an eighth at a time, except those read
 * since the last pass, spared once (an approximation of least-recently-used that costs the hit
 * path one field write, not a Map reordering).
 */
export class L1Tier {
  readonly #copies = new Map<string, Copy>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  /** Moves on every drop and clear. */
  #epoch = 0;
  /**
   * Each key's last drop: reads with an older ticket are not admitted, unless they bring the very
   * write the drop was about (`keep`).
   */
  readonly #drops = new Map<string, Drop>();
  /** The epoch of the last clear; reads with an older ticket are not admitted at all. */
  #clearedAt = 0;

  constructor(settings: L1Settings) {
    this.#maxEntries = settings.maxEntries;
    this.#ttlMs = settings.ttlMs;
  }

  /** The copy's envelope, or `undefined` (none, or past its time). */
  get(key: string, now: number): string | undefined {
    const copy = this.#copies.get(key);
    if (copy === undefined) return undefined;
    if (now >= copy.until) {
      this.#copies.delete(key);
      return undefined;
    }
    copy.used = true;
    return copy.envelope;
  }

  /** Taken before a store read or write whose result may be admitted. */
  ticket(): number {
    return this.#epoch;
  }

  /**
   * Keeps a copy of `envelope`, read or written by a call that took `ticket` before it started,
   * unless the key was dropped (or everything cleared) since. `freshUntil` is the entry's own end
   * of freshness (`Infinity` when the envelope carries none).
   */
  admit(key: string, envelope: string, freshUntil: number, now: number, ticket: number): void {
    if (ticket < this.#clearedAt) return;
    const dropped = this.#drops.get(key);
    if (dropped !== undefined && ticket < dropped.epoch) {
      if (dropped.keep === undefined || ticket < dropped.strictBefore || !hasHead(envelope, dropped.keep)) {
        return;
      }
    }
    const until = Math.min(now + this.#ttlMs, freshUntil);
    if (!(until > now)) return;
    if (this.#copies.size >= this.#maxEntries && !this.#copies.has(key)) this.#evict();
    this.#copies.set(key, { envelope, until, used: false });
  }

  /**
   * Forgets the copy of `key` (unless it is the write `keep` names: see `envelopeHead`) and
   * refuses what reads of it in flight bring back (but that very write). Returns whether a copy
   * was forgotten.
   */
  drop(key: string, keep?: string): boolean {
    const copy = this.#copies.get(key);
    const forgotten = copy !== undefined && (keep === undefined || !hasHead(copy.envelope, keep));
    if (forgotten) this.#copies.delete(key);
    this.#epoch++;
    const last = this.#drops.get(key);
    if (this.#drops.size >= MAX_DROPS && last === undefined) {
      this.#drops.clear();
      this.#clearedAt = this.#epoch;
    }
    const strictBefore = last === undefined ? 0 : last.keep === keep ? last.strictBefore : last.epoch;
    this.#drops.set(key, { epoch: this.#epoch, keep, strictBefore });
    return forgotten;
  }

  /** Forgets every copy and refuses what every read in flight brings back. */
  clear(): void {
    this.#copies.clear();
    this.#drops.clear();
    this.#epoch++;
    this.#clearedAt = this.#epoch;
  }

  /** Copies held now (tests and diagnostics). */
  get size(): number {
    return this.#copies.size;
  }

  /** Down to seven eighths of the bound in one pass, oldest first, sparing copies read since the last pass once. */
  #evict(): void {
    const keep = this.#maxEntries - Math.max(1, this.#maxEntries >> 3);
    const spared: [string, Copy][] = [];
    for (const [key, copy] of this.#copies) {
      if (this.#copies.size + spared.length <= keep) break;
      this.#copies.delete(key);
      if (copy.used) {
        copy.used = false;
        spared.push([key, copy]);
      }
    }
    for (const [key, copy] of spared) this.#copies.set(key, copy);
    // Every copy had been read: now the oldest go, spared or not.
    for (const key of this.#copies.keys()) {
      if (this.#copies.size <= keep) break;
      this.#copies.delete(key);
    }
  }
}
