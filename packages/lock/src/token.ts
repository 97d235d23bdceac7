import { randomUUID } from "node:crypto";

/** Drawn once per process: 122 random bits that set this process's tokens apart from every other's. */
const PROCESS_NONCE = randomUUID();

/** Tokens handed out by this process so far. */
let issued = 0;

/**
 * A holder's token, unique among every holder of every process: the process's random nonce and
 * a count. A token must never be another holder's (releasing by compare-and-delete trusts it),
 * not be secret: any client that can reach the store can delete a lock key. A fresh random value
 * per token cost each call a share of the entropy pool's refills (~0.3 µs, 2 % of an uncontended
 * `withLock` on Redis) for nothing uniqueness needs.
 */
export function newToken(): string {
  issued += 1;
  return `${PROCESS_NONCE}:${issued}`;
}
