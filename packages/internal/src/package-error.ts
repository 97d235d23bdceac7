/**
 * Where a family's root class keeps the symbol that marks the family (see {@link errorFamily}).
 * Local to this copy of the code: only this copy's `Symbol.hasInstance` reads it.
 */
const FAMILY = Symbol("mcp-persist error family");

/**
 * The shape of every error mcp-persist raises on purpose: a stable `code` in Node's `ERR_…` style
 * to branch on, the npm `package` that raised it, and a message that starts with `[package]` and
 * says what to do. Each package's error family extends it (cache-core's `McpPersistError`, keys'
 * `KeyError`, health's `HealthError`, shutdown's `ShutdownError`) and names its family in a
 * static block (`errorFamily`).
 */
export class PackageError<Code extends string = string, Pkg extends string = string> extends Error {
  /** Stable, documented identifier, e.g. `ERR_INVALID_OPTION`. */
  readonly code: Code;
  /** The npm package that raised the error, e.g. `@mcp-persist/health`. */
  readonly package: Pkg;

  constructor(code: Code, pkg: Pkg, message: string, options?: ErrorOptions) {
    super(`[${pkg}] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
    this.package = pkg;
  }

  /**
   * `instanceof` that also holds across copies of a package: its ESM and CommonJS builds loaded
   * side by side (one dependency `import`s it, another `require`s it) or two installs. True when
   * the value's prototype chain holds this class, or a class of the same name from the same
   * family; classes of other families never match, whatever their name.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
    const family: unknown = Reflect.get(this, FAMILY);
    for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
      if (proto === this.prototype) return true;
      if (typeof family !== "symbol") continue;
      const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
      if (typeof ctor === "function" && Reflect.get(ctor, family) === true && ctor.name === this.name) {
        return true;
      }
    }
    return false;
  }
}

/**
 * Makes `root` the root of an error family, marked with `Symbol.for(name)`: the same symbol in
 * every copy of the package, unlike the classes themselves. Call it from the root's static block:
 *
 * ```ts
 * export class HealthError extends PackageError<HealthErrorCode, typeof PKG> {
 *   static {
 *     errorFamily(this, "@mcp-persist/health/HealthError");
 *   }
 * }
 * ```
 *
 * Subclasses inherit the mark. The names are part of the packages' contract with their own other
 * copies and earlier versions: never change one.
 */
export function errorFamily(root: abstract new (...args: never[]) => PackageError, name: string): void {
  const mark = Symbol.for(name);
  Object.defineProperty(root, mark, { value: true });
  Object.defineProperty(root, FAMILY, { value: mark });
}
