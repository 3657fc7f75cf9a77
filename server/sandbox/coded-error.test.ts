import { describe, expect, it } from "vitest";
import { CodedError } from "./coded-error";

// Two copies of the same classes, as two bundles would load them.
function makeClasses() {
  class BaseError extends CodedError {}
  class NotFoundError extends BaseError {}
  class OtherError extends BaseError {}
  return { BaseError, NotFoundError, OtherError };
}

describe("CodedError", () => {
  it("recognises instances from another copy of the classes, by class and ancestors", () => {
    const here = makeClasses();
    const there = makeClasses();
    const error = new there.NotFoundError("gone", "not here");
    expect(error instanceof here.BaseError).toBe(true);
    expect(error instanceof here.NotFoundError).toBe(true);
    expect(error instanceof here.OtherError).toBe(false);
    expect(new Error("plain") instanceof here.BaseError).toBe(false);
    expect((null as unknown) instanceof here.BaseError).toBe(false);
    expect(error).toMatchObject({ code: "gone", message: "not here", name: "NotFoundError" });
  });

  it("recognises a branded base across copies whose class names a minifier changed", () => {
    const minified = (name: string) => {
      class P extends CodedError {
        static override readonly brand: string = "SandboxError";
      }
      class Q extends P {}
      Object.defineProperty(P, "name", { value: name });
      return { Base: P, Leaf: Q };
    };
    const here = minified("P");
    const there = minified("x");
    expect(new there.Leaf("host_disk_full", "full") instanceof here.Base).toBe(true);
    expect(new there.Leaf("host_disk_full", "full") instanceof CodedError).toBe(true);
  });
});
