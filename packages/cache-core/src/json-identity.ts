// Identity of plain-JSON values without building a string: a structural hash to find a memo
// entry, and a deep comparison to confirm it. Repeated tool calls (the cache-hit case) are
// recognised this way instead of by canonicalising and hashing their arguments again.

/** Values past these bounds are not memoised: rare, and canonicalising them dominates anyway. */
const MAX_DEPTH = 32;
const MAX_UNITS = 4096;

const FNV_PRIME = 0x01000193;
const FNV_OFFSET = 0x811c9dc5;
const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

// The walk is synchronous and never re-entered, so one budget counter serves every call.
let budget = 0;

/**
 * A 32-bit hash of `value` if it is plain JSON — strings, booleans, null, finite numbers other
 * than -0, arrays without holes or `undefined`, plain objects of those (members that are
 * `undefined` are skipped, as JSON and the canonical form skip them) — else `undefined`.
 * Dates, Maps, BigInts, NaN... are not plain JSON; neither are huge or deep values.
 */
export function plainJsonHash(value: unknown, seed = FNV_OFFSET): number | undefined {
  budget = MAX_UNITS;
  return walk(value, seed, 0);
}

/**
 * The units the last {@link plainJsonHash} walked (a string counts its length and one more, an
 * object or array one, an array item one more): a measure of how much a copy of that value holds,
 * for memos bounded by size.
 */
export function hashedUnits(): number {
  return MAX_UNITS - budget;
}

/**
 * A deep copy of a value {@link plainJsonHash} accepted (so at most 32 levels deep), equal to what
 * a JSON round trip gives — members that are `undefined` left out, a `"__proto__"` member kept as
 * a member — without writing and parsing text. Kept to compare later calls with: callers may
 * mutate their arguments.
 */
export function copyJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(copy(value[i]));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    // Assigning "__proto__" would set the prototype; JSON.parse makes it an own member instead.
    if (key === "__proto__") defineMember(out, key, copy(member));
    else out[key] = copy(member);
  }
  return out;
}

/** Defines an own, plain data member, as JSON.parse does: for keys that assignment treats apart. */
export function defineMember(object: object, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function mix(hash: number, n: number): number {
  return Math.imul(hash ^ n, FNV_PRIME);
}

function text(hash: number, s: string): number | undefined {
  budget -= s.length + 1;
  if (budget < 0) return undefined;
  let h = mix(hash, s.length);
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

function walk(value: unknown, hash: number, depth: number): number | undefined {
  switch (typeof value) {
    case "string":
      return text(mix(hash, 1), value);
    case "boolean":
      return mix(hash, value ? 2 : 3);
    case "number":
      if (!Number.isFinite(value) || (value === 0 && 1 / value < 0)) return undefined;
      float[0] = value;
      return mix(mix(mix(hash, 4), words[0] as number), words[1] as number);
    case "object": {
      if (value === null) return mix(hash, 5);
      if (depth >= MAX_DEPTH || --budget < 0) return undefined;
      let h: number | undefined;
      if (Array.isArray(value)) {
        // A unit per item: numbers, booleans and nulls cost nothing on their own, and a memo
        // bounded by units must see an array of a million numbers as large.
        budget -= value.length;
        if (budget < 0) return undefined;
        h = mix(mix(hash, 6), value.length);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) return undefined;
          h = walk(item, h, depth + 1);
          if (h === undefined) return undefined;
        }
        return h;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return undefined;
      h = mix(hash, 7);
      for (const key in value) {
        const member: unknown = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        h = text(h, key);
        if (h === undefined) return undefined;
        h = walk(member, h, depth + 1);
        if (h === undefined) return undefined;
      }
      return h;
    }
    default:
      return undefined;
  }
}

/**
 * Whether `incoming` (plain JSON, as checked by {@link plainJsonHash}) equals `stored` (a copy
 * made by JSON round trip), ignoring key order and `undefined` members.
 */
export function sameJson(stored: unknown, incoming: unknown): boolean {
  if (stored === incoming) return true;
  if (typeof stored !== "object" || typeof incoming !== "object" || stored === null || incoming === null)
    return false;
  if (Array.isArray(stored)) {
    if (!Array.isArray(incoming) || stored.length !== incoming.length) return false;
    for (let i = 0; i < stored.length; i++) if (!sameJson(stored[i], incoming[i])) return false;
    return true;
  }
  if (Array.isArray(incoming)) return false;
  const a = stored as Record<string, unknown>;
  let members = 0;
  for (const key in incoming) {
    const member: unknown = (incoming as Record<string, unknown>)[key];
    if (member === undefined) continue;
    members++;
    if (!Object.hasOwn(a, key) || !sameJson(a[key], member)) return false;
  }
  for (const _ in a) members--;
  return members === 0;
}
