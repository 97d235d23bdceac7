/**
 * Test-only inverse of `canonicalize`. If every canonical form parses back to a value
 * structurally equal to the original, two different values can never share a canonical form.
 */
export function parseCanonical(text: string): unknown {
  let at = 0;

  const expect = (token: string) => {
    if (!text.startsWith(token, at)) throw new SyntaxError(`expected ${token} at ${at} in ${text}`);
    at += token.length;
  };

  const list = (close: string, item: () => void) => {
    if (text.startsWith(close, at)) {
      at += close.length;
      return;
    }
    for (;;) {
      item();
      if (text[at] === ",") at++;
      else return expect(close);
    }
  };

  const string = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at));
  };

  const value = (): unknown => {
    const rest = text.slice(at);
    for (const [word, result] of [
      ["null", null],
      ["true", true],
      ["false", false],
      ["undefined", undefined],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["-Infinity", Number.NEGATIVE_INFINITY],
    ] as const) {
      if (rest.startsWith(word)) {
        at += word.length;
        return result;
      }
    }
    if (rest[0] === '"') return string();
    if (rest[0] === "[") {
      at++;
      const out: unknown[] = [];
      list("]", () => out.push(value()));
      return out;
    }
    if (rest[0] === "{") {
      at++;
      const out: Record<string, unknown> = {};
      list("}", () => {
        const key = string();
        expect(":");
        Object.defineProperty(out, key, {
          value: value(),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return out;
    }
    if (rest.startsWith("Map{")) {
      at += 4;
      const out = new Map<unknown, unknown>();
      list("}", () => {
        const key = value();
        expect("=>");
        out.set(key, value());
      });
      return out;
    }
    if (rest.startsWith("Set[")) {
      at += 4;
      const out: unknown[] = [];
      list("]", () => out.push(value()));
      return new Set(out);
    }
    const call = /^([A-Za-z0-9]+)\(/.exec(rest);
    if (call) {
      at += call[0].length;
      const name = call[1];
      if (name === "RegExp") {
        const source = string();
        expect(")");
        const slash = source.lastIndexOf("/");
        return new RegExp(source.slice(1, slash), source.slice(slash + 1));
      }
      const close = text.indexOf(")", at);
      const body = text.slice(at, close);
      at = close + 1;
      if (name === "Date") return new Date(Number(body));
      return { typedArray: name, base64: body };
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?(n)?/.exec(rest);
    if (!number) throw new SyntaxError(`unexpected ${rest.slice(0, 10)} at ${at}`);
    at += number[0].length;
    return number[4] ? BigInt(number[0].slice(0, -1)) : Number(number[0]);
  };

  const out = value();
  if (at !== text.length) throw new SyntaxError(`trailing text at ${at} in ${text}`);
  return out;
}

/**
 * Value equality with the canonical form's semantics: -0 ≠ 0, NaN = NaN, Maps and Sets unordered.
 * `a` is an original value; `b` may be one or what `parseCanonical` made of one.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (a instanceof Date) return b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (a instanceof RegExp) return b instanceof RegExp && String(a) === String(b);
  if (ArrayBuffer.isView(a)) {
    const bytes = base64Of(a);
    // Two originals (the property compares pairs of generated values), or an original and its parse.
    if (ArrayBuffer.isView(b)) return b.constructor.name === a.constructor.name && base64Of(b) === bytes;
    const parsed = b as { typedArray?: string; base64?: string };
    return parsed.typedArray === a.constructor.name && parsed.base64 === bytes;
  }
  if (a instanceof Map) {
    return (
      b instanceof Map &&
      sameMultiset([...a], [...b], ([ka, va], [kb, vb]) => sameValue(ka, kb) && sameValue(va, vb))
    );
  }
  if (a instanceof Set) return b instanceof Set && sameMultiset([...a], [...b], sameValue);
  if (!isPlain(b)) return false;
  const keysA = definedKeys(a);
  const keysB = definedKeys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((key, index) => key === keysB[index] && sameValue(member(a, key), member(b, key)))
  );
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return !Array.isArray(value) && (proto === Object.prototype || proto === null);
}

function definedKeys(object: object): string[] {
  return Object.keys(object)
    .filter((key) => member(object, key) !== undefined)
    .sort();
}

function member(object: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(object, key)?.value;
}

function sameMultiset<T>(a: T[], b: T[], equal: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  const unused = [...b];
  return a.every((item) => {
    const index = unused.findIndex((candidate) => equal(item, candidate));
    if (index < 0) return false;
    unused.splice(index, 1);
    return true;
  });
}

function base64Of(view: ArrayBufferView): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("base64");
}
