import { Command } from "ioredis";

// Written instead of a script that must not go out again: every write still gets exactly one
// reply, so the connection's reply order stays intact.
const PING = "*1\r\n$4\r\nPING\r\n";

/** Why a script whose write was replaced by a PING rejects: its outcome is unknown. */
export const DROPPED =
  "the connection dropped while the script was in flight; it may or may not have run, and was not sent again";

/** Replies with which the server refuses a command without running it: re-sending is safe. */
const NOT_RUN = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN) /;

/**
 * An EVAL/EVALSHA that reaches the server at most once. ioredis re-sends a command whose reply it
 * has not read when the connection drops (`autoResendUnfulfilledCommands`, and a Cluster's retry
 * on "Connection is closed"), yet the server may already have run it: a rate-limit hit would count
 * twice, a lock would be taken twice. Client settings cannot rule that out for a client the
 * application hands in, so the command itself refuses: ioredis asks it for its bytes on each
 * write (`toWritable`, the hook its own `Script` class uses), and after the first write, or once
 * the store has settled the call (`call.settled`: it gave up on it), it answers with a PING and
 * marks itself `substituted`; the PING's reply then rejects `promise` (see {@link DROPPED}) rather
 * than pass for the script's (`transformReply`). Re-sending after a Cluster redirect is allowed:
 * the server refused it unrun.
 */
export class OnceWrittenScript extends Command {
  /** True when a write was replaced by a PING: the reply is not the script's. */
  substituted = false;
  #written = false;
  #refusedUnrun = false;
  readonly #call: { readonly settled: boolean };

  constructor(
    name: "eval" | "evalsha",
    args: (string | number)[],
    keyPrefix: string | undefined,
    call: { readonly settled: boolean },
  ) {
    super(name, flatAlready(args), { keyPrefix, replyEncoding: "utf8" });
    // Gone again once Command has taken the array: what ioredis logs or traces is a plain array.
    delete (args as { flat?: unknown }).flat;
    this.#call = call;
  }

  override toWritable(socket: object): string | Buffer {
    if (!this.#call.settled && (!this.#written || this.#refusedUnrun)) {
      this.#written = true;
      this.#refusedUnrun = false;
      return super.toWritable(socket);
    }
    this.substituted = true;
    return PING;
  }

  /**
   * ioredis runs every reply through this before resolving `promise`, and rejects it instead when
   * this throws: so a PING's reply, written in the script's place, rejects the script's promise
   * (the store takes that promise as it is, with no async wrapper of its own per script call).
   */
  override transformReply(result: Buffer | Buffer[]): string | string[] | Buffer | Buffer[] {
    if (this.substituted) throw new Error(DROPPED);
    return super.transformReply(result);
  }

  /** Records refusals the server makes before running anything (see NOT_RUN). */
  noteRejection(error: unknown): void {
    if (error instanceof Error && NOT_RUN.test(error.message)) this.#refusedUnrun = true;
  }
}

// ioredis assigns `reject` in Command's constructor, and a Cluster wraps it again to retry; an
// accessor sees every assignment, so whichever function ends up rejecting reports to noteRejection.
// The wrapped function is kept under a symbol on the command itself: not in a class field, which
// does not exist yet while Command's constructor runs, and not in a WeakMap, whose entries made
// every script call costlier for the garbage collector.
const REJECT = Symbol("reject");
type Rejecting = OnceWrittenScript & { [REJECT]?: (error: Error) => void };
Object.defineProperty(OnceWrittenScript.prototype, "reject", {
  get(this: Rejecting) {
    return this[REJECT];
  },
  set(this: Rejecting, reject: (error: Error) => void) {
    this[REJECT] = (error: Error) => {
      this.noteRejection(error);
      reject(error);
    };
  },
});

/**
 * `args` (strings and numbers, flat already), given an own `flat()` that returns it as it is.
 * ioredis's Command copies its arguments with `Array.prototype.flat()`, which on Node 20 costs
 * about 70 ns an item: 1.4 µs for the 20 arguments of a batch of three lock calls, more than the
 * rest of the command. The array is made for this one command, so handing it over uncopied
 * changes nothing. Assigned and then deleted (~70 ns), not defined non-enumerable (~130 ns).
 */
function flatAlready(args: (string | number)[]): (string | number)[] {
  (args as { flat: unknown }).flat = returnThis;
  return args;
}

function returnThis<T>(this: T): T {
  return this;
}
