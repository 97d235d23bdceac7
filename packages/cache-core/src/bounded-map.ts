/**
 * Sets `key` in a Map used as a bounded memo: when it is full, the oldest insertion goes.
 * Memos keyed by caller scope would otherwise grow with every user the server ever saw.
 */
export function rememberBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max && !map.has(key)) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(key, value);
}
