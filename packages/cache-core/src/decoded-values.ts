import { type Codec, defaultCodec } from "./codec";
import { defineMember } from "./json-identity";

/** Entries longer than this (in UTF-16 units) are decoded on every read: copies would weigh too. */
const MAX_ENVELOPE_CHARS = 65_536;
/** Envelope text all slots hold together, at most: bounds the memory of the decoded trees too. */
const MAX_TOTAL_CHARS = 4_194_304;
/** Slots at most, however small the entries. */
const MAX_SLOTS = 4096;

/** The default codec's tag for plain JSON (`j` + JSON.stringify output). */
const PLAIN = 106;

/** Nesting past which {@link copyTree} throws {@link TOO_DEEP}: a copy must not run out of stack. */
const MAX_TREE_DEPTH = 256;
const TOO_DEEP: unique symbol = Symbol("too deep to copy");

interface Slot {
  /** The text the tree was decoded from: a read that returns any other text decodes that text. */
  readonly envelope: string;
  /** The decoded tree, never handed out; {@link TOO_DEEP}: decoded on every read. */
  readonly tree: unknown;
  /** Read since eviction last passed over it: it gets a second chance. */
  used: boolean;
}

/**
 * Decodes what hits read, keeping decoded entries for the next hits. `JSON.parse` is most of what
 * a hit costs (it builds every string of the result afresh); a hit on an entry already decoded
 * returns a structural copy of the kept tree instead, several times cheaper, and equal to what
 * parsing would return.
 *
 * Every hit still gets a value of its own: the kept tree is never handed out, so a caller that
 * mutates its result (deeply) changes nothing for the next hit. A slot serves only reads that
 * return the very text it was decoded from (the same string from an in-process store; equal text
 * from Redis, compared before any parsing), so an entry that was rewritten, invalidated or
 * corrupted is decoded as before. Only the default codec's plain-JSON payloads are kept: a custom
 * codec's `decode` is called on every hit, and tagged values (Date, Map, BigInt…) are revived on
 * every hit.
 *
 * A tree is kept from the first read of an entry on (that read pays one copy), within fixed
 * bounds: 4096 slots, 4 Mi characters of entry text, no entry over 64 Ki characters. Past a
 * bound, the oldest slots go first, except those read since the last eviction, spared once.
 */
export class DecodedValues {
  readonly #slots = new Map<string, Slot>();
  #chars = 0;
  readonly #codec: Codec;
  /** Whether trees are kept: only with the default codec, whose output this knows. */
  readonly #keeps: boolean;

  constructor(codec: Codec) {
    this.#codec = codec;
    this.#keeps = codec === defaultCodec;
  }

  /**
   * What the codec decodes from the payload of `envelope` (starting at `start`), as a value the
   * caller owns. `key` is the entry's storage key.
   * @throws {CodecError} (or what a custom codec throws) for a payload it cannot decode.
   */
  decode(key: string, envelope: string, start: number): unknown {
    if (!this.#keeps || envelope.charCodeAt(start) !== PLAIN || envelope.length > MAX_ENVELOPE_CHARS) {
      return this.#codec.decode(envelope.slice(start));
    }
    const slot = this.#slots.get(key);
    if (slot !== undefined && slot.envelope === envelope) {
      slot.used = true;
      const tree = slot.tree;
      if (typeof tree === "object" && tree !== null) return copyTree(tree, 0);
      if (tree !== TOO_DEEP) return tree; // a string, number, boolean or null: nothing to share
      return defaultCodec.decode(envelope.slice(start));
    }
    // First read of this text: keep what is parsed, hand out a copy of it. Throws before
    // admitting anything when the payload cannot be decoded.
    const value = defaultCodec.decode(envelope.slice(start));
    let copy = value;
    let tree: unknown = value;
    if (typeof value === "object" && value !== null) {
      try {
        copy = copyTree(value, 0);
      } catch (error) {
        if (error !== TOO_DEEP) throw error;
        tree = TOO_DEEP;
      }
    }
    this.#admit(key, envelope, tree, slot);
    return copy;
  }

  /** Drops the slot of an entry that was deleted: its memory is not needed any more. */
  forget(key: string): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    this.#slots.delete(key);
    this.#chars -= slot.envelope.length;
  }

  #admit(key: string, envelope: string, tree: unknown, old: Slot | undefined): void {
    if (old !== undefined) this.forget(key);
    this.#slots.set(key, { envelope, tree, used: false });
    this.#chars += envelope.length;
    if (this.#chars > MAX_TOTAL_CHARS || this.#slots.size > MAX_SLOTS) this.#evict();
  }

  /**
   * Down to seven eighths of both bounds, oldest first, in one pass (see `rememberBounded` for why
   * in batches). A slot read since the last pass is spared once, and moves behind the others.
   */
  #evict(): void {
    const chars = MAX_TOTAL_CHARS - (MAX_TOTAL_CHARS >> 3);
    const slots = MAX_SLOTS - (MAX_SLOTS >> 3);
    const spared: [string, Slot][] = [];
    for (const [key, slot] of this.#slots) {
      if (this.#chars <= chars && this.#slots.size + spared.length <= slots) break;
      this.#slots.delete(key);
      if (slot.used) {
        slot.used = false;
        spared.push([key, slot]);
      } else this.#chars -= slot.envelope.length;
    }
    for (const [key, slot] of spared) this.#slots.set(key, slot);
    // Every slot had been read: now the oldest go, spared or not.
    for (const [key, slot] of this.#slots) {
      if (this.#chars <= chars && this.#slots.size <= slots) break;
      this.#slots.delete(key);
      this.#chars -= slot.envelope.length;
    }
  }
}

/**
 * A copy of `node`, a tree JSON.parse returned (plain objects and packed arrays of strings,
 * numbers, booleans and null, every member an own data property): equal to parsing its text
 * again, member for member, and several times faster. Spread and `slice()` copy a level at once
 * (V8 clones an object's layout whole); members that are objects are then copied in turn. A
 * `"__proto__"` member stays a member, as JSON.parse made it. Throws {@link TOO_DEEP} past 256
 * levels.
 */
export function copyTree(node: object, depth = 0): object {
  if (depth >= MAX_TREE_DEPTH) throw TOO_DEEP;
  if (Array.isArray(node)) {
    const out: unknown[] = node.slice();
    for (let i = 0; i < out.length; i++) {
      const item = out[i];
      if (typeof item === "object" && item !== null) out[i] = copyTree(item, depth + 1);
    }
    return out;
  }
  const out: Record<string, unknown> = { ...node };
  for (const key in out) {
    const member = out[key];
    // Own members only (a polluted Object.prototype could lend enumerable ones).
    if (typeof member !== "object" || member === null || !Object.hasOwn(out, key)) continue;
    if (key === "__proto__") defineMember(out, key, copyTree(member, depth + 1));
    else out[key] = copyTree(member, depth + 1);
  }
  return out;
}
