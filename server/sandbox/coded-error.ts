// The base of every typed error (engine, agent, services): a stable `code` for
// the one place that maps errors to responses, and an `instanceof` that also
// recognises instances made by another copy of the module. Next bundles
// instrumentation.ts apart from the routes, so the sandbox platform created at
// boot throws errors whose classes are not the route bundle's. A production
// build minifies class names, so the classes other code checks across copies
// (the bases) carry a `brand` that survives it.

const CLASSES = Symbol.for("tidepool.error-classes");

type Branded = { [CLASSES]?: string[] };

/** A class's stable name: its own `brand` when it declares one, else its (possibly minified) name. */
function identity(type: unknown): string {
  return Object.hasOwn(type as object, "brand") ? (type as { brand: string }).brand : (type as { name: string }).name;
}

export class CodedError<Code extends string = string> extends Error {
  static readonly brand: string = "CodedError";

  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    // The names of this class and its ancestors, for instanceof across module copies.
    const names: string[] = [];
    for (let current: unknown = new.target; typeof current === "function" && current !== Error; current = Object.getPrototypeOf(current)) {
      names.push(identity(current));
    }
    (this as Branded)[CLASSES] = names;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const names = typeof value === "object" && value !== null ? (value as Branded)[CLASSES] : undefined;
    return Array.isArray(names) && names.includes(identity(this));
  }
}
