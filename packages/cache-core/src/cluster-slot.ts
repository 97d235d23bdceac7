// Redis Cluster's key → slot mapping: CRC16 (XMODEM) of the key's hash tag — the text between the
// first `{` and the next `}`, when not empty — else of the whole key, modulo 16384. Capabilities
// that keep state per slot (the rate limiter's store health on a Cluster) read it here, once.

const TABLE = new Uint16Array(256);
for (let byte = 0; byte < 256; byte++) {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[byte] = crc;
}

const encoder = new TextEncoder();

/** The Redis Cluster slot (0–16383) of `key`, as `CLUSTER KEYSLOT` computes it. */
export function clusterSlot(key: string): number {
  let hashed = key;
  const open = key.indexOf("{");
  if (open >= 0) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) hashed = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of encoder.encode(hashed))
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  return crc % 16384;
}
