import { className } from "./describe-value";
import type { KeyErrorCode } from "./errors";
import { formatPath } from "./errors";

export interface Failure {
  code: KeyErrorCode;
  message: string;
  path: (string | number)[];
}

/**
 * Finds why `canonicalize` gave up, and where. Runs only after a failure, so it can afford what
 * the hot path avoids: the set of ancestors (to tell a cycle from deep data) and a path.
 * It walks the value in the writer's order and reports the first problem met; if there is none
 * but the value was still refused, the canonical form was too long.
 */
export function diagnose(value: unknown, maxDepth: number, maxLength: number): Failure {
  const path: (string | number)[] = [];
  const ancestors = new Set<object>();
  // The writer charges at least one character for every value it visits, so past maxLength
  // visits the answer is known, and a value built from shared references (of any container
  // type) cannot make this walk explode. Every loop below stops once it has run out.
  let budget = maxLength;

  const visit = (node: unknown): Failure | undefined => {
    if (--budget < 0) return undefined;
    if (typeof node === "function" || typeof node === "symbol") {
      return fail("ERR_KEY_UNSUPPORTED_TYPE", `a ${typeof node} is not serialisable; pass plain data`);
    }
    if (typeof node !== "object" || node === null) return undefined;
    if (ancestors.has(node)) {
      return fail("ERR_KEY_CYCLE", "the value is cyclic (it contains itself); pass acyclic data");
    }
    if (ancestors.size >= maxDepth)
      return fail("ERR_KEY_TOO_DEEP", `nesting is deeper than maxDepth (${maxDepth})`);
    ancestors.add(node);
    const found = visitChildren(node);
    ancestors.delete(node);
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
      if (node.length > budget) return undefined;
      for (let index = 0; index < node.length && budget >= 0; index++) {
        const found = step(index, node[index]);
        if (found) return found;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(node);
    if (proto === Object.prototype || proto === null) {
      const keys = Object.keys(node);
      if (keys.length > budget) return undefined;
      keys.sort();
      for (let index = 0; index < keys.length && budget >= 0; index++) {
        const key = keys[index] as string;
        const found = step(key, (node as Record<string, unknown>)[key]);
        if (found) return found;
      }
      return undefined;
    }
    if (node instanceof Map) {
      let index = 0;
      for (const [key, member] of node) {
        if (budget < 0) return undefined;
        const found = step(index, key) ?? step(index, member);
        if (found) return found;
        index++;
      }
      return undefined;
    }
    if (node instanceof Set) {
      let index = 0;
      for (const member of node) {
        if (budget < 0) return undefined;
        const found = step(index++, member);
        if (found) return found;
      }
      return undefined;
    }
    if (node instanceof Date || node instanceof RegExp || ArrayBuffer.isView(node)) return undefined;
    const toJSON = (node as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return visit(toJSON.call(node));
    return fail(
      "ERR_KEY_UNSUPPORTED_TYPE",
      `a ${className(node) ?? "non-plain object"} instance is not serialisable; pass plain data`,
    );
  };

  const fail = (code: KeyErrorCode, reason: string): Failure => {
    const at = path.length > 0 ? ` at ${formatPath(path)}` : "";
    return { code, message: `cannot build a key${at}: ${reason}`, path: [...path] };
  };

  return (
    visit(value) ?? {
      code: "ERR_KEY_TOO_LARGE",
      message:
        `cannot build a key: the value is larger than maxLength (${maxLength}) allows; every character ` +
        "written counts, and so does each object member left out as undefined and each repeat of a shared reference",
      path: [],
    }
  );
}
