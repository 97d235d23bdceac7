const warned = new Set<string>();

/**
 * Tells the user, once per process, that `old` is deprecated in favour of `replacement` (a
 * Node `DeprecationWarning`, code `MCP_PERSIST_DEPRECATED`, so `--no-deprecation` and
 * `--throw-deprecation` apply). Old names keep working for one release; the changeset that
 * renames them says so.
 */
export function warnDeprecated(pkg: string, old: string, replacement: string): void {
  const id = `${pkg}:${old}`;
  if (warned.has(id)) return;
  warned.add(id);
  process.emitWarning(
    `[${pkg}] ${old} is deprecated and will be removed in the next major: use ${replacement}`,
    {
      type: "DeprecationWarning",
      code: "MCP_PERSIST_DEPRECATED",
    },
  );
}
