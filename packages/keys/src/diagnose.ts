import type { KeyErrorCode } from "./errors";
import { formatPath } from "./errors";

export interface Failure {
  code: KeyErrorCode;
  message: string;
  path: (string | number)[];
}

/**
 * Finds why `canonicalize` gave up, and where. Runs only after a failure, so it can afford what
 * the hot path avoids: a list of ancestors (to tell a cycle from deep data) and a path.
 * It walks the value in the writer's order and reports the first problem met; if there is none
 * but the value was still refused, the canonical form was too long.
 */
export function diagnose(value: unknown, maxDepth: number, maxLength: number): Failure {
  const path: (string | number)[] = [];
  const ancestors: object[] = [];
  // Each visited value writes at least one character: past maxLength visits, the answer is known,
  // and a value built from shared references cannot make this walk explode.
  let budget = maxLength;

  const visit = (node: unknown): Failure | undefined => {
    if (--budget < 0) return undefined;
    if (typeof node === "function" || typeof node === "symbol") {
      return fail("KEY_UNSUPPORTED_TYPE", `a ${typeof node} is not serialisable; pass plain data`);
    }
    if (typeof node !== "object" || node === null) return undefined;
    if (ancestors.includes(node)) {
      return fail("KEY_CYCLE", "the value is cyclic (it contains itself); pass acyclic data");
    }
    if (ancestors.length >= maxDepth)
      return fail("KEY_TOO_DEEP", `nesting is deeper than maxDepth (${maxDepth})`);
    ancestors.push(node);
    const found = visitChildren(node);
    ancestors.pop();
    return found;
  };

  const step = (key: string | number, node: unknown): Failure | undefined => {
    path.push(key);
    const found = visit(node);
    if (found === undefined) path.pop();
    return found;
  };

  const visitChildren = (node: object): Failure | undefined => {
    if (Array.isArray(node)) {
      // The writer refuses such an array outright, before looking inside.
      if (node.length > maxLength) return undefined;
      for (let index = 0; index < node.length && budget >= 0; index++) {
        const found = step(index, node[index]);
        if (found) return found;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(node);
    if (proto === Object.prototype || proto === null) {
      for (const key of Object.keys(node).sort()) {
        const found = step(key, (node as Record<string, unknown>)[key]);
        if (found) return found;
      }
      return undefined;
    }
    if (node instanceof Map) {
      let index = 0;
      for (const [key, member] of node) {
        const found = step(index, key) ?? step(index, member);
        if (found) return found;
        index++;
      }
      return undefined;
    }
    if (node instanceof Set) {
      let index = 0;
      for (const member of node) {
        const found = step(index++, member);
        if (found) return found;
      }
      return undefined;
    }
    if (node instanceof Date || node instanceof RegExp || ArrayBuffer.isView(node)) return undefined;
    const toJSON = (node as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return visit(toJSON.call(node));
    const kind = (proto as { constructor?: { name?: string } }).constructor?.name || "object";
    return fail("KEY_UNSUPPORTED_TYPE", `a ${kind} instance is not serialisable; pass plain data`);
  };

  const fail = (code: KeyErrorCode, reason: string): Failure => {
    const at = path.length > 0 ? ` at ${formatPath(path)}` : "";
    return { code, message: `cannot build a key${at}: ${reason}`, path: [...path] };
  };

  return (
    visit(value) ?? {
      code: "KEY_TOO_LARGE",
      message: `cannot build a key: the canonical form is longer than maxLength (${maxLength} characters)`,
      path: [],
    }
  );
}
