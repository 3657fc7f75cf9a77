// `instanceof` for error classes that also recognises instances made by another
// copy of the same module. Next bundles instrumentation.ts apart from the
// routes, so the sandbox platform created at boot throws errors whose classes
// are not the route bundle's; a plain prototype check would call them unknown.

const CLASSES = Symbol.for("tidepool.error-classes");

type Branded = { [CLASSES]?: string[] };

/** Records the names of the instance's class and its ancestors (call in the base constructor). */
export function brandError(instance: Error, leaf: abstract new (...args: never[]) => Error): void {
  const names: string[] = [];
  for (let current: unknown = leaf; typeof current === "function" && current !== Error; current = Object.getPrototypeOf(current)) {
    names.push((current as { name: string }).name);
  }
  (instance as Branded)[CLASSES] = names;
}

/** For `static [Symbol.hasInstance]`: the prototype chain, or the recorded class names. */
export function isBrandedInstance(type: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(type, value)) return true;
  const names = typeof value === "object" && value !== null ? (value as Branded)[CLASSES] : undefined;
  return Array.isArray(names) && names.includes(type.name);
}
