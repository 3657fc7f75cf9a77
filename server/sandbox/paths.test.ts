import { describe, expect, it } from "vitest";
import { InvalidPathError, InvalidSandboxOptionsError, PathOutsideWorkspaceError } from "./errors";
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
  it("refuses names over 255 bytes and paths over 4095 bytes, counted in UTF-8", () => {
    expect(resolveSandboxPath("a".repeat(255), W)).toBe(`/workspace/${"a".repeat(255)}`);
    expect(() => resolveSandboxPath("a".repeat(256), W)).toThrow(/longer than 255 bytes/);
    expect(() => resolveSandboxPath(`d/${"é".repeat(128)}`, W)).toThrow(InvalidPathError);
    expect(() => resolveSandboxPath(Array.from({ length: 20 }, () => "b".repeat(250)).join("/"), W)).toThrow(
      /longer than 4095 bytes/,
    );
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
  it("refuses work dirs in /proc, /sys and /dev", () => {
    for (const bad of ["/proc/self/fd/7", "/proc", "/sys/fs", "/dev/shm", "/workspace/../proc/1"]) {
      expect(() => normalizeWorkDir(bad)).toThrow(InvalidSandboxOptionsError);
    }
    expect(normalizeWorkDir("/procedures")).toBe("/procedures");
  });
  it("relativizes", () => {
    expect(relativeToWorkDir("/workspace/a/b", W)).toBe("a/b");
    expect(relativeToWorkDir("/workspace", W)).toBe("");
  });
});
