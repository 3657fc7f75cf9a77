import { describe, expect, it } from "vitest";
import { cleanTitle } from "./chat-title";

describe("cleanTitle", () => {
  it("keeps the first line without quotes, a Title: prefix or a final period", () => {
    expect(cleanTitle('"Monthly revenue trend."')).toBe("Monthly revenue trend");
    expect(cleanTitle("Title: Churn drivers\nBecause the user asked…")).toBe("Churn drivers");
    expect(cleanTitle("**Sales by region**")).toBe("Sales by region");
  });

  it("gives up on an empty or overlong reply", () => {
    expect(cleanTitle("")).toBeNull();
    expect(cleanTitle("  \n")).toBeNull();
    expect(cleanTitle("x".repeat(200))).toBeNull();
  });
});
