import { describe, expect, it } from "vitest";
import { TEMP_PREFIXES, findTempNameArgs, tempName } from "./temp-names";

describe("temp names", () => {
  it("are random, hidden and recognised", () => {
    const a = tempName("write");
    expect(a).toMatch(/^\.tidepool-write-[0-9a-f]{16}$/);
    expect(tempName("write")).not.toBe(a);
    expect(tempName("spool").startsWith(TEMP_PREFIXES.spool)).toBe(true);
    expect(tempName("extract").startsWith(TEMP_PREFIXES.extract)).toBe(true);
  });

  it("give find one group matching every kind", () => {
    expect(findTempNameArgs()).toBe(
      "\\( -name '.tidepool-write-*' -o -name '.tidepool-extract-*' -o -name '.tidepool-spool-*' \\)",
    );
  });
});
