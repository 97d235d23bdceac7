/** Most calls sent to the store as one: keeps each script call short on the Redis server. */
const MAX_BATCH = 100;

/**
 * Parts a batch's answers are handed out in: halves, so two batches take turns, one on the server
 * while this process makes the other. Of 2, 3 and 5 (fifths before), halves were the fastest at
 * 16 calls in flight, for rate-limit checks and locks on both clients (store benchmark, issue 15):
 * each further part costs a store call, a socket write and a turn of the event loop, and where
 * those are dear (a virtual machine's system calls) they cost more than the extra overlap gains.
 */
const PARTS = 2;

/** Fewest answers per part: a part of one would cost a store call per call. */
const MIN_PART = 2;

/** A caller waiting for its answer; a class, not a literal (README, "Per-call objects"). */
class Waiting<R> {
  constructor(
    readonly resolve: (answer: R | PromiseLike<R>) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/**
 * Sends the batch `items` to the store in one call: one answer per item, in order. An answer may be
 * a promise (an item that had to be sent again on its own); a rejection fails every item.
 */
export type SendBatch<I, R> = (items: readonly I[]) => Promise<readonly (R | PromiseLike<R>)[]>;

/**
 * Collects the calls made in one tick and sends them to a shared store together, in one script
 * call: one round trip, and one command for the client to write and parse, where each call alone
 * would cost both (node-redis spends ~12 µs of CPU per command, three times ioredis).
 *
 * A batch's answers are handed out in parts, not all at once. All at once, they set off all their
 * callers' next calls together, which went to the store as one call at the end of the tick: this
 * process and the Redis server then took turns, each idle while the other worked (rate limits ran
 * at 0.66× `RateLimiterRedis` at 16 checks in flight on a quiet machine). A part at a time, the
 * next calls go out as several batches, one per event-loop turn, so the server runs one while this
 * process makes the next. At most half of the calls out (at least two) are answered per turn;
 * the next part is scheduled from `process.nextTick`, which runs once the part's continuations
 * (microtasks) have made their calls: so its `setImmediate` comes after the one in which
 * node-redis writes them (ioredis writes at `nextTick`), and the part's batch leaves before the
 * next part's calls are made. An answer waits a few loop turns at most; a call alone (nothing else
 * out) is answered at once.
 *
 * Used only for stores shared with other processes (Redis): an in-process store saves no round
 * trip by it. Each item is still its own atomic step in the store, as if sent one after another.
 */
export class Batcher<I, R> {
  readonly #send: SendBatch<I, R>;
  #items: I[] = [];
  #waiting: Waiting<R>[] = [];
  /** Calls sent whose batch has not been answered. */
  #sent = 0;
  /** Answers not handed out yet, oldest first, from `#readyAt` on: caller, answer, caller, ... */
  #ready: (Waiting<R> | R | PromiseLike<R> | undefined)[] = [];
  #readyAt = 0;

  constructor(send: SendBatch<I, R>) {
    this.#send = send;
  }

  /** Queues `item` for this tick's batch: its answer, once handed out. */
  run(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#items.push(item);
      this.#waiting.push(new Waiting(resolve, reject));
      if (this.#items.length === 1) queueMicrotask(this.#flush);
    });
  }

  readonly #flush = (): void => {
    const items = this.#items;
    const waiting = this.#waiting;
    this.#items = [];
    this.#waiting = [];
    for (let start = 0; start < items.length; start += MAX_BATCH) {
      const end = Math.min(items.length, start + MAX_BATCH);
      // Nearly always one batch of everything: sent as it is, no copies.
      const whole = start === 0 && end === items.length;
      const batch = whole ? items : items.slice(start, end);
      const callers = whole ? waiting : waiting.slice(start, end);
      this.#sent += batch.length;
      sendSafely(this.#send, batch).then(
        (answers) => this.#answered(callers, answers),
        (error: unknown) => {
          this.#sent -= callers.length;
          // Answers of earlier batches still waiting their turn go out first: what the store said
          // before this failure must reach its callers (and their health checks) before it, or
          // they would mark a store that just failed as recovered.
          this.#handOutAll();
          for (const caller of callers) caller.reject(error);
        },
      );
    }
  };

  #answered(callers: readonly Waiting<R>[], answers: readonly (R | PromiseLike<R>)[]): void {
    this.#sent -= callers.length;
    const waiting = this.#ready.length > this.#readyAt;
    for (let i = 0; i < callers.length; i++) {
      const answer = answers[i] as R | PromiseLike<R>;
      // A promise answer may reject before its part is handed out: handled here, so the process
      // sees no unhandled rejection; its caller still gets the rejection when it adopts it.
      if (isPromise(answer)) answer.then(undefined, ignore);
      this.#ready.push(callers[i] as Waiting<R>, answer as R);
    }
    if (!waiting) this.#handOut();
  }

  /** Answers the oldest waiting callers, a part (see the class comment); schedules the rest. */
  readonly #handOut = (): void => {
    const ready = this.#ready;
    const from = this.#readyAt;
    const out = (ready.length - from) / 2 + this.#sent;
    const part = Math.max(MIN_PART, Math.ceil(out / PARTS));
    const end = Math.min(ready.length, from + 2 * part);
    if (end === ready.length) {
      this.#ready = [];
      this.#readyAt = 0;
    } else {
      this.#readyAt = end;
      process.nextTick(this.#handOutNextTurn);
    }
    resolveEach(ready, from, end);
  };

  /** Answers every caller still waiting, at once; a part already scheduled then finds none. */
  #handOutAll(): void {
    const ready = this.#ready;
    const from = this.#readyAt;
    this.#ready = [];
    this.#readyAt = 0;
    resolveEach(ready, from, ready.length);
  }

  readonly #handOutNextTurn = (): void => {
    setImmediate(this.#handOut);
  };
}

/**
 * Answers the callers in `ready[from..end)` (caller, answer, caller, ...), in order, and lets go of
 * them: the array lives on while later parts wait, and would otherwise keep every answered call
 * alive (and promoted to the old generation) until the last part is out.
 */
function resolveEach<R>(
  ready: (Waiting<R> | R | PromiseLike<R> | undefined)[],
  from: number,
  end: number,
): void {
  for (let i = from; i < end; i += 2) {
    const caller = ready[i] as Waiting<R>;
    const answer = ready[i + 1] as R;
    ready[i] = undefined;
    ready[i + 1] = undefined;
    caller.resolve(answer);
  }
}

/** `send(batch)`, with a synchronous throw turned into a rejection (it would otherwise escape the microtask, leaving the batch unanswered). */
function sendSafely<I, R>(
  send: SendBatch<I, R>,
  batch: readonly I[],
): Promise<readonly (R | PromiseLike<R>)[]> {
  try {
    return send(batch);
  } catch (error) {
    return Promise.reject(error);
  }
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function ignore(): void {}
