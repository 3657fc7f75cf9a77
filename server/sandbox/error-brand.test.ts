import { describe, expect, it } from "vitest";
import { brandError, isBrandedInstance } from "./error-brand";

// Two copies of the same classes, as two bundles would load them.
function makeClasses() {
  class BaseError extends Error {
    constructor(message: string) {
      super(message);
      brandError(this, new.target);
    }
    static [Symbol.hasInstance](value: unknown) {
      return isBrandedInstance(this, value);
    }
  }
  class NotFoundError extends BaseError {}
  class OtherError extends BaseError {}
  return { BaseError, NotFoundError, OtherError };
}

describe("branded errors", () => {
  it("recognise instances from another copy of the classes, by class and ancestors", () => {
    const here = makeClasses();
    const there = makeClasses();
    const error = new there.NotFoundError("gone");
    expect(error instanceof here.BaseError).toBe(true);
    expect(error instanceof here.NotFoundError).toBe(true);
    expect(error instanceof here.OtherError).toBe(false);
    expect(new Error("plain") instanceof here.BaseError).toBe(false);
    expect((null as unknown) instanceof here.BaseError).toBe(false);
  });
});
