import { describe, expect, it } from "vitest";
import { matchesGlob } from "./glob-match";

describe("matchesGlob", () => {
  it("matches names when the pattern has no slash", () => {
    expect(matchesGlob("a/b/c.csv", "*.csv")).toBe(true);
    expect(matchesGlob("a/b/c.csv", "c.?sv")).toBe(true);
    expect(matchesGlob("a/b/c.csv", "*.py")).toBe(false);
    expect(matchesGlob(".hidden/x.py", "*.py")).toBe(true);
  });
  it("matches paths with ** and single-segment *", () => {
    expect(matchesGlob("src/util/h.py", "**/*.py")).toBe(true);
    expect(matchesGlob("h.py", "**/*.py")).toBe(true);
    expect(matchesGlob(".hidden/x.py", "**/*.py")).toBe(true);
    expect(matchesGlob("src/util/h.py", "src/*.py")).toBe(false);
    expect(matchesGlob("src/util/h.py", "src/**")).toBe(true);
    expect(matchesGlob("src/a/b/c/h.py", "src/**/h.py")).toBe(true);
  });
  it("supports classes and alternatives, escapes regex characters", () => {
    expect(matchesGlob("data/r1.csv", "data/r[0-9].{csv,tsv}")).toBe(true);
    expect(matchesGlob("data/r1.tsv", "data/r[!0-9].tsv")).toBe(false);
    expect(matchesGlob("a+b(1).txt", "a+b(1).txt")).toBe(true);
    expect(matchesGlob("axtxt", "a.txt")).toBe(false);
  });
});
