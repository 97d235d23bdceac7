/**
 * JSON string quoting without a `JSON.stringify` call per string: most argument strings have
 * nothing to escape, and a regex test plus a concatenation costs a third of the call.
 * Anything with a quote, backslash, control character or surrogate goes to JSON.stringify,
 * which also escapes lone surrogates, so the output is always exactly JSON's.
 */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

export function quote(value: string): string {
  return NEEDS_ESCAPING.test(value) ? JSON.stringify(value) : `"${value}"`;
}

const quotedKeys = new Map<string, string>();
const MAX_MEMOISED_KEYS = 4096;

/**
 * `"key":` for an object member. Tool arguments reuse a handful of schema keys on every call, so
 * the quoted form is memoised; the memo is bounded so hostile keys cannot grow it without limit.
 */
export function quoteKey(key: string): string {
  let out = quotedKeys.get(key);
  if (out === undefined) {
    out = `${quote(key)}:`;
    if (quotedKeys.size >= MAX_MEMOISED_KEYS) quotedKeys.clear();
    if (key.length <= 64) quotedKeys.set(key, out);
  }
  return out;
}
