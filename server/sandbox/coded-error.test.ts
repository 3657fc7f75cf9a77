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
});
