/**
 * The base of {@link ChargeStamp}: its constructor returns the object it is given, so that the
 * subclass's private field is added to that object rather than to a new one.
 */
class OnObject {
  constructor(target: object) {
    return target as OnObject;
  }
}

/**
 * Where an allowed result keeps what `refund()` needs (the charge behind it): a private class
 * field stamped onto the result object itself. Results stay plain data: their prototype is
 * `Object.prototype` and the field is invisible to every reflection (keys, spread, `structuredClone`,
 * JSON, `util.inspect`, test equality), so a copied or forged object carries nothing, and the
 * charge goes when its result is collected.
 *
 * A WeakMap from result to charge would do the same, but its `set` for a fresh key costs far more
 * than the check itself (hundreds of ns, mostly in the garbage collector's ephemeron work), and an
 * in-process check must stay cheaper than that.
 */
export class ChargeStamp extends OnObject {
  #charge: unknown;

  private constructor(target: object, charge: unknown) {
    super(target);
    this.#charge = charge;
  }

  /** Stamps `charge` onto `result`, a fresh object this package built. */
  static stamp(result: object, charge: unknown): void {
    new ChargeStamp(result, charge);
  }

  /** The charge stamped onto `result` and not cleared since; `undefined` for anything else. */
  static read<Charge>(result: unknown): Charge | undefined {
    if (typeof result !== "object" || result === null || !(#charge in result)) return undefined;
    return result.#charge as Charge | undefined;
  }

  /** Forgets the charge of a stamped `result`: it is never read again. */
  static clear(result: object): void {
    if (#charge in result) result.#charge = undefined;
  }
}
