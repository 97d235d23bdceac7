/**
 * Imports a package that may not have landed (or been built) yet. Returns the module, or why it
 * cannot be used: its workload is then listed as not measured, never faked.
 */
export async function optionalImport<M>(
  load: () => Promise<M>,
  needs: keyof M & string,
): Promise<M | string> {
  let module: M;
  try {
    module = await load();
  } catch (error) {
    // Not built, or built against a dependency that has not caught up: either way, not ready.
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const detail =
      code === "ERR_MODULE_NOT_FOUND" ? "it is not built" : `it does not load (${code || String(error)})`;
    return `not available yet: ${detail}`;
  }
  return typeof module[needs] === "function"
    ? module
    : `not available yet: the package does not export ${needs}()`;
}
