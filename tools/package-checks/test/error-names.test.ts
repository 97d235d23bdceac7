import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// Errors take their `name` from their class (`new.target.name`), and instanceof across builds
// matches classes by name. The build does not keep names (esbuild's keepNames costs a
// defineProperty per named closure on every hot path), so a class esbuild renamed to resolve a
// clash in a bundle (`InvalidOptionError2`) would change both: this checks every exported error
// class of every built package, in both formats. Needs the built packages (`pnpm build`).
const packagesDir = fileURLToPath(new URL("../../../packages/", import.meta.url));
const require = createRequire(import.meta.url);

const published = readdirSync(packagesDir).filter((name) => {
  const manifest = JSON.parse(readFileSync(`${packagesDir}${name}/package.json`, "utf8"));
  return manifest.private !== true;
});

async function errorClasses(): Promise<Map<string, Function>> {
  const found = new Map<string, Function>();
  for (const name of published) {
    const dist = `${packagesDir}${name}/dist/index`;
    for (const [format, module] of [
      ["esm", await import(`${dist}.js`)],
      ["cjs", require(`${dist}.cjs`)],
    ] as const) {
      for (const [exported, value] of Object.entries(module as Record<string, unknown>)) {
        if (typeof value === "function" && value.prototype instanceof Error) {
          found.set(`${name} ${format} ${exported}`, value);
        }
      }
    }
  }
  return found;
}

it("every exported error class is named as it is exported (or as the class it aliases)", async () => {
  const classes = await errorClasses();
  const exportedNames = new Set([...classes.keys()].map((key) => key.split(" ")[2]));
  expect(classes.size).toBeGreaterThan(40);
  const misnamed = [...classes].filter(([key, value]) => {
    const exported = key.split(" ")[2];
    return value.name !== exported && !exportedNames.has(value.name);
  });
  expect(misnamed.map(([key, value]) => `${key} is named ${value.name}`)).toEqual([]);
  for (const value of classes.values()) expect(value.name).toMatch(/^[A-Z][A-Za-z]*Error$/);
});
