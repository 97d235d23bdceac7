import { createHash } from "node:crypto";
import { callerDigest, canonicalize, digest, joinKey, keySegment, toolKey } from "@mcp-persist/keys";
import { anyString } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// User text cut in the middle of an emoji: "😀" is "\uD83D\uDE00" in UTF-16.
const cut = "search:café \uD83D";

/** Test-only inverse of keySegment's escaping: percent-decoding, then WTF-8 decoding. */
function decodeSegment(segment: string): string {
  const bytes: number[] = [];
  for (let at = 0; at < segment.length; ) {
    if (segment[at] === "%") {
      bytes.push(Number.parseInt(segment.slice(at + 1, at + 3), 16));
      at += 3;
    } else {
      bytes.push(segment.charCodeAt(at++));
    }
  }
  let out = "";
  for (let at = 0; at < bytes.length; ) {
    const lead = bytes[at] as number;
    const length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    let code = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let next = 1; next < length; next++) code = (code << 6) | ((bytes[at + next] as number) & 0x3f);
    out += String.fromCodePoint(code); // a surrogate code point gives back the lone surrogate
    at += length;
  }
  return out;
}

/**
 * keySegment as it was before lone surrogates were handled: keys of well-formed text must not
 * change. (Segments shortened past 100 characters end in a 128-bit digest since issue 17's fuzz
 * defects, a 64-bit one before: `slice(0, 83)` and 16 hex then.)
 */
function legacySegment(text: string): string {
  const escaped = /^[A-Za-z0-9_.-]+$/.test(text)
    ? text
    : encodeURIComponent(text).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (escaped.length <= 100) return escaped;
  const head = escaped.slice(0, 67).replace(/%[0-9A-F]?$/, "");
  return `${head}~${createHash("sha256").update(text, "utf8").digest("hex").slice(0, 32)}`;
}

const withLoneSurrogate = fc
  .tuple(anyString, fc.integer({ min: 0xd800, max: 0xdfff }), anyString)
  .map(([head, surrogate, tail]) => `${head}${String.fromCharCode(surrogate)}${tail}`)
  .filter(
    (text) =>
      !(String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed.call(text),
  );

describe("lone surrogates in segments and names", () => {
  it("escapes them as WTF-8 bytes instead of throwing a URIError", () => {
    expect(keySegment(cut)).toBe("search%3Acaf%C3%A9%20%ED%A0%BD");
    expect(keySegment("\uDE00")).toBe("%ED%B8%80");
    expect(joinKey("search", "café \uD83D")).toBe("search:caf%C3%A9%20%ED%A0%BD");
    expect(toolKey({ tool: "s\uD83D", namespace: "n\uDE00", version: "v\uD800", args: {} })).toMatch(
      /^n%ED%B8%80:s%ED%A0%BD:v%ED%A0%80:_:[0-9a-f]{32}$/,
    );
  });

  it("stays injective: every segment short enough not to be cut decodes back to its input", () => {
    fc.assert(
      fc.property(fc.oneof(anyString, withLoneSurrogate), (text) => {
        fc.pre(text.length > 0);
        const segment = keySegment(text);
        expect(segment).toMatch(/^[A-Za-z0-9_.%~-]+$/);
        expect(segment.length).toBeLessThanOrEqual(100);
        if (!segment.includes("~")) expect(decodeSegment(segment)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it("never meets the segment of a well-formed string, nor its U+FFFD replacement", () => {
    fc.assert(
      fc.property(withLoneSurrogate, (text) => {
        const replaced = text.replace(/[\uD800-\uDFFF]/g, (c, at: number) =>
          /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(text.slice(at, at + 2)) ||
          /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(text.slice(at - 1, at + 1))
            ? c
            : "\uFFFD",
        );
        expect(keySegment(text)).not.toBe(keySegment(replaced));
        expect(digest(text)).not.toBe(digest(replaced));
      }),
      { numRuns: 1000 },
    );
    // Cut so that only the digest after `~` tells them apart.
    const long = "x".repeat(200);
    expect(keySegment(`${long}\uD83D`)).not.toBe(keySegment(`${long}\uFFFD`));
  });

  it("leaves the segment and digest of every well-formed string as they were", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60, unit: "binary" }), (text) => {
        expect(keySegment(text)).toBe(legacySegment(text));
        expect(digest(text, 32)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
      }),
      { numRuns: 500 },
    );
  });
});

describe("lone surrogates in caller scopes and arguments", () => {
  it("keeps a scope cut mid-emoji apart from its U+FFFD replacement", () => {
    expect(callerDigest("alice\uD83D")).not.toBe(callerDigest("alice\uFFFD"));
    expect(callerDigest({ user: "alice\uD83D" })).not.toBe(callerDigest({ user: "alice\uFFFD" }));
  });

  it("gives every prefix of text cut mid-emoji its own canonical form, as JSON escapes", () => {
    const text = "café 😀👍🏽 ok";
    const forms = new Set<string>();
    for (let end = 0; end <= text.length; end++) {
      const form = canonicalize({ query: text.slice(0, end) });
      expect(JSON.parse(form)).toEqual({ query: text.slice(0, end) });
      forms.add(form);
    }
    expect(forms.size).toBe(text.length + 1);
    expect(canonicalize("a\uD83D")).toBe('"a\\ud83d"');
  });

  it("writes any string, as a value or a key, in a well-formed form that parses back", () => {
    fc.assert(
      fc.property(anyString, anyString, (key, value) => {
        const form = canonicalize({ [key]: value });
        expect(
          (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed.call(form),
        ).toBe(true);
        expect(Object.entries(JSON.parse(form))).toEqual([[key, value]]);
      }),
      { numRuns: 2000 },
    );
  });
});
