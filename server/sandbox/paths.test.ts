import { describe, expect, it } from "vitest";
import { InvalidPathError, PathOutsideWorkspaceError } from "./errors";
import { normalizeWorkDir, relativeToWorkDir, resolveSandboxPath } from "./paths";

const W = "/workspace";

describe("resolveSandboxPath", () => {
  it("resolves relative paths under the work dir", () => {
    expect(resolveSandboxPath("a.txt", W)).toBe("/workspace/a.txt");
    expect(resolveSandboxPath("./d/e/../f.csv", W)).toBe("/workspace/d/f.csv");
    expect(resolveSandboxPath(".", W)).toBe("/workspace");
    expect(resolveSandboxPath("dir/", W)).toBe("/workspace/dir");
  });
  it("accepts absolute paths inside the work dir", () => {
    expect(resolveSandboxPath("/workspace/x/y", W)).toBe("/workspace/x/y");
    expect(resolveSandboxPath("/workspace", W)).toBe("/workspace");
    expect(resolveSandboxPath("//workspace//x", W)).toBe("/workspace/x");
  });
  it("refuses escapes with a typed error naming the path", () => {
    for (const bad of ["../etc/passwd", "/etc/passwd", "/workspace/../etc", "a/../../b", "/workspacex/a", "/"]) {
      const run = () => resolveSandboxPath(bad, W);
      expect(run).toThrow(PathOutsideWorkspaceError);
      expect(run).toThrow(JSON.stringify(bad));
    }
  });
  it("refuses NUL, control characters and empty paths", () => {
    for (const bad of ["a\u0000b", "a\nb", "a\u001bb", "a\u0085", ""]) {
      expect(() => resolveSandboxPath(bad, W)).toThrow(InvalidPathError);
    }
  });
  it("keeps unicode and spaces", () => {
    expect(resolveSandboxPath("données été/ä b.txt", W)).toBe("/workspace/données été/ä b.txt");
  });
});

describe("normalizeWorkDir / relativeToWorkDir", () => {
  it("normalizes", () => {
    expect(normalizeWorkDir("/workspace/")).toBe("/workspace");
    expect(() => normalizeWorkDir("workspace")).toThrow(InvalidPathError);
    expect(() => normalizeWorkDir("/")).toThrow(InvalidPathError);
  });
  it("relativizes", () => {
    expect(relativeToWorkDir("/workspace/a/b", W)).toBe("a/b");
    expect(relativeToWorkDir("/workspace", W)).toBe("");
  });
});
