/**
 * Lone UTF-16 surrogates (user text cut in the middle of an emoji) are legitimate input, but
 * UTF-8 has no bytes for them: `encodeURIComponent` throws a URIError and `Buffer`/`crypto`
 * silently turn them into U+FFFD, so `"a\uD83D"` and `"a\uFFFD"` would share a digest.
 *
 * WTF-8 (https://simonsapin.github.io/wtf-8/) is UTF-8 extended to every JavaScript string: a
 * well-formed string has exactly its UTF-8 bytes, and a lone surrogate gets the three bytes
 * `ED A0..BF 80..BF`, which UTF-8 never produces. So it is injective, and it changes nothing for
 * well-formed text: every key built from well-formed strings stays what it was.
 */

// String.prototype.isWellFormed ships in Node 20 (V8 11.3) but not in the ES2023 lib we compile against.
const isWellFormedMethod = (String.prototype as unknown as { isWellFormed(this: string): boolean })
  .isWellFormed;

/** True when `text` has no lone surrogate (every string of UTF-8 origin). */
export function isWellFormed(text: string): boolean {
  return isWellFormedMethod.call(text);
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/;

/**
 * Splits a string around its lone surrogates: even indices are well-formed text (possibly
 * empty), odd indices single lone surrogates.
 */
export function splitLoneSurrogates(text: string): string[] {
  return text.split(LONE_SURROGATE);
}

/** The three WTF-8 bytes of one lone surrogate code unit (0xD800 to 0xDFFF). */
export function loneSurrogateBytes(surrogate: string): [number, number, number] {
  const code = surrogate.charCodeAt(0);
  return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
}

/** WTF-8 bytes of any string: its UTF-8 bytes when it is well-formed. */
export function wtf8(text: string): Buffer {
  const parts = splitLoneSurrogates(text);
  return Buffer.concat(
    parts.map((part, index) =>
      index % 2 === 0 ? Buffer.from(part, "utf8") : Buffer.from(loneSurrogateBytes(part)),
    ),
  );
}
