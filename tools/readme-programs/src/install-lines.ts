import { isBuiltin } from "node:module";

/**
 * The packages a README tells its reader to install: every name in its `npm install` / `npm i`
 * commands, wherever they are (a shell block, a comment in a program, inline code).
 */
export function installedPackages(readmeText: string): Set<string> {
  const names = new Set<string>();
  for (const command of readmeText.matchAll(/\bnpm\s+(?:install|i|add)\b([^\n`]*)/g)) {
    for (const word of (command[1] ?? "").split(/\s+/)) {
      if (word === "" || word.startsWith("-")) continue;
      if (/^(&&|\||;|#|\/\/)/.test(word)) break; // the command ends here
      names.add(packageName(word.replace(/(?<=.)@[^@/]*$/, ""))); // drop a version or tag
    }
  }
  return names;
}

/**
 * The npm packages a program imports (`import`, `import()`, `require`), by package name:
 * `@modelcontextprotocol/sdk/server/mcp.js` → `@modelcontextprotocol/sdk`. Node's own modules,
 * relative paths and commented-out lines do not count.
 */
export function importedPackages(code: string): Set<string> {
  const names = new Set<string>();
  // A commented-out import is an alternative the text describes, not what the program runs.
  const running = code
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("//"))
    .join("\n");
  const specifiers = running.matchAll(
    /\bfrom\s+["']([^"']+)["']|\bimport\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']/g,
  );
  for (const match of specifiers) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4] ?? "";
    if (specifier.startsWith(".") || specifier.startsWith("/") || isBuiltin(specifier)) continue;
    names.add(packageName(specifier));
  }
  return names;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}
