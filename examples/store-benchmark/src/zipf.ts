/** mulberry32: a tiny seeded generator, so every line replays exactly the same calls. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws ranks 0..n-1 with probability ∝ 1 / (rank + 1)^exponent: a few popular calls, a long tail. */
export function zipfSampler(n: number, exponent: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let rank = 0; rank < n; rank++) {
    sum += 1 / (rank + 1) ** exponent;
    cdf[rank] = sum;
  }
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The calls every line of a workload makes, in order: ranks into the argument sets. */
export interface CallSequence {
  readonly ranks: Uint32Array;
  /** Distinct ranks in the sequence: the misses of one pass over it on a cold cache. */
  readonly distinct: number;
}

/** Zipf exponent of all sequences: the classic s = 1 of request popularity. */
export const ZIPF_EXPONENT = 1;

/**
 * A sequence whose first pass on a cold cache misses `missRate` of its calls: draws stop at the
 * first length where distinct ranks / calls falls to it. Replayed with each pass in a fresh key
 * space (an "epoch" argument), every line then misses that share, whether it runs 10k or 10M
 * calls — a hit rate set by time (TTL) would favour the faster line.
 */
export function toolCallSequence(universe: number, missRate: number, seed: number): CallSequence {
  const draw = zipfSampler(universe, ZIPF_EXPONENT, seededRandom(seed));
  const seen = new Set<number>();
  const ranks: number[] = [];
  // A floor on the length keeps the first few (all-miss) draws from ending it at once.
  while (ranks.length < 1000 || seen.size / ranks.length > missRate) {
    const rank = draw();
    seen.add(rank);
    ranks.push(rank);
  }
  return { ranks: Uint32Array.from(ranks), distinct: seen.size };
}

/** A fixed-length sequence over a universe that is stored in full beforehand: every call hits. */
export function hitPathSequence(universe: number, length: number, seed: number): CallSequence {
  const draw = zipfSampler(universe, ZIPF_EXPONENT, seededRandom(seed));
  const ranks = Uint32Array.from({ length }, draw);
  return { ranks, distinct: new Set(ranks).size };
}
