import { randomUUID } from "node:crypto";

/**
 * A holder's random token: 122 random bits from node:crypto. `randomUUID` draws from a cached
 * entropy pool, where `randomBytes` makes a system call per token (about 10 µs, the largest
 * cost of an in-process acquisition).
 */
export function newToken(): string {
  return randomUUID();
}
