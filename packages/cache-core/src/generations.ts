import { REMEMBERED_CALLERS, rememberBounded } from "./bounded-map";
import type { Clock } from "./clock";
import { bumpGenerationScript, readGenerationScript } from "./generation-scripts";
import type { Script } from "./script";

/**
 * Generation keys this process remembers: the namespace's, the tools' and a caller scope's each
 * (~150 bytes each). One per caller, so as many as callers are remembered, and room for the tools'.
 */
const MAX_KNOWN = REMEMBERED_CALLERS + 1024;

interface Known {
  value: string;
  /** Clock time after which the value must be re-read from the store. */
  until: number;
}

/** Runs a generation script on one key with the cache's deadline applied. */
export type RunGenerationScript = (script: Script<string>, key: string) => Promise<string>;

/**
 * This process's copy of the generation counters, trusted for `refreshMs` after each read so
 * the hit path stays one store GET. Its own bumps apply at once; other processes' bumps are seen
 * within `refreshMs` (plus one store round trip).
 */
export class Generations {
  readonly #known = new Map<string, Known>();
  /** Tokens already joined, per generation-key list (lists are long-lived, one per tool/call). */
  readonly #tokens = new WeakMap<readonly string[], { token: string; until: number; version: number }>();
  /** Moves on every change to `#known`, so a joined token is never used past a change. */
  #version = 0;
  readonly #loading = new Map<string, Promise<string>>();
  readonly #run: RunGenerationScript;
  readonly #refreshMs: number;
  readonly #clock: Clock;

  constructor(run: RunGenerationScript, refreshMs: number, clock: Clock) {
    this.#run = run;
    this.#refreshMs = refreshMs;
    this.#clock = clock;
  }

  /** The token (generations joined by ".") if every one is known and fresh, else `undefined`. */
  current(keys: readonly string[], now: number): string | undefined {
    const joined = this.#tokens.get(keys);
    if (joined !== undefined && joined.version === this.#version && joined.until >= now) return joined.token;
    let token = "";
    let until = Number.POSITIVE_INFINITY;
    for (let i = 0; i < keys.length; i++) {
      const known = this.#known.get(keys[i] as string);
      if (known === undefined || known.until < now) return undefined;
      token = i === 0 ? known.value : `${token}.${known.value}`;
      until = Math.min(until, known.until);
    }
    // Kept, so the hit path compares one long-lived string instead of a fresh concatenation.
    this.#tokens.set(keys, { token, until, version: this.#version });
    return token;
  }

  /**
   * The token of the generations last read, due for a refresh or not; `undefined` if one was
   * never read (or forgotten). What a first-tier copy is checked against while the store is down.
   */
  lastKnown(keys: readonly string[]): string | undefined {
    let token = "";
    for (let i = 0; i < keys.length; i++) {
      const known = this.#known.get(keys[i] as string);
      if (known === undefined) return undefined;
      token = i === 0 ? known.value : `${token}.${known.value}`;
    }
    return token;
  }

  /** The token, reading the generations that are unknown or due for a refresh. */
  async fetch(keys: readonly string[]): Promise<string> {
    const values = await Promise.all(keys.map((key) => this.#load(key)));
    return values.join(".");
  }

  /**
   * Forgets this process's copy of one generation (another process moved it): the next call
   * reads it again. A read already in flight still answers its callers, but is not remembered.
   */
  forget(key: string): void {
    this.#known.delete(key);
    this.#loading.delete(key);
    this.#version++;
  }

  /** Forgets every copy (messages about generations may have been missed). */
  forgetAll(): void {
    this.#known.clear();
    this.#loading.clear();
    this.#version++;
  }

  /** Moves a generation forward in the store and here, at once. */
  async bump(key: string): Promise<void> {
    this.#remember(key, await this.#run(bumpGenerationScript, key));
  }

  #load(key: string): Promise<string> {
    const known = this.#known.get(key);
    if (known !== undefined && known.until >= this.#clock.now()) return Promise.resolve(known.value);
    let loading = this.#loading.get(key);
    if (loading === undefined) {
      // Only the read still registered when it settles is remembered: one that started before a
      // `forget` may carry the generation that was just moved on.
      const started: Promise<string> = this.#run(readGenerationScript, key).then(
        (value) => {
          if (this.#loading.get(key) !== started) return value;
          this.#loading.delete(key);
          return this.#remember(key, value);
        },
        (error: unknown) => {
          if (this.#loading.get(key) === started) this.#loading.delete(key);
          this.#keepAfterFailure(key);
          throw error;
        },
      );
      loading = started;
      this.#loading.set(key, loading);
    }
    return loading;
  }

  /**
   * A refresh failed: the value last read stands for another `refreshMs` before the store is
   * asked again, so calls meanwhile use it at once instead of each waiting out the store's
   * deadline (a Cluster node that died holds this counter; the entries may live elsewhere).
   */
  #keepAfterFailure(key: string): void {
    const known = this.#known.get(key);
    if (known === undefined) return;
    known.until = this.#clock.now() + this.#refreshMs;
    this.#version++;
  }

  #remember(key: string, value: string): string {
    const known = this.#known.get(key);
    // A read that started before our own bump must not move the generation back.
    const newest = known !== undefined && Number(known.value) > Number(value) ? known.value : value;
    rememberBounded(
      this.#known,
      key,
      { value: newest, until: this.#clock.now() + this.#refreshMs },
      MAX_KNOWN,
    );
    this.#version++;
    return newest;
  }
}
