import { randomUUID } from "node:crypto";

/** A fresh lock namespace, so tests never share keys and may run in any order. */
export function freshNamespace(): string {
  return `lock-test-${randomUUID()}`;
}
