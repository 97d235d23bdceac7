const PKG = "@mcp-persist/keys";
const warned = new Set<string>();

/**
 * Tells the user, once per process, that `old` is deprecated in favour of `replacement`: the
 * same DeprecationWarning (code MCP_PERSIST_DEPRECATED) as cache-core's `warnDeprecated`, kept
 * here because this package depends on no other.
 */
export function warnDeprecated(old: string, replacement: string): void {
  if (warned.has(old)) return;
  warned.add(old);
  process.emitWarning(
    `[${PKG}] ${old} is deprecated and will be removed in the next major: use ${replacement}`,
    {
      type: "DeprecationWarning",
      code: "MCP_PERSIST_DEPRECATED",
    },
  );
}
