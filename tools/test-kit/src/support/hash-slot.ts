// Redis Cluster's key → slot mapping (CRC16-XMODEM of the key, or of its hash tag, mod 16384),
// written out here so tests can check (and pick) where keys land without asking a Cluster.

const TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  return crc;
}

/**
 * The hash tag Redis reads in `key`: the text between the first `{` and the first `}` after it,
 * if that is not empty; else `undefined` (the whole key is hashed).
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf("{");
  if (open < 0) return undefined;
  const close = key.indexOf("}", open + 1);
  if (close < 0 || close === open + 1) return undefined;
  return key.slice(open + 1, close);
}

/** The Cluster slot of `key`, as `CLUSTER KEYSLOT` computes it. */
export function keySlot(key: string): number {
  return crc16(Buffer.from(hashTagOf(key) ?? key, "utf8")) % 16384;
}
