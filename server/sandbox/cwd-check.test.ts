import { describe, expect, it } from "vitest";
import { cwdCheckScript, cwdRefusal } from "./cwd-check";
import { FileNotFoundError, PathOutsideWorkspaceError, PermissionDeniedError, WrongFileTypeError } from "./errors";

const N = "0123abcd";

describe("cwdRefusal", () => {
  it("turns the script's refusal lines into typed errors", () => {
    expect(cwdRefusal(`${N} outside /proc/42/fd/7`, N, "fd7", "/workspace")).toBeInstanceOf(PathOutsideWorkspaceError);
    expect(cwdRefusal(`${N} outside /proc/42/fd/7`, N, "fd7", "/workspace")?.message).toMatch(
      /resolves to \/proc\/42\/fd\/7 through a symbolic link/,
    );
    expect(cwdRefusal(`${N} missing`, N, "/workspace/x", "/workspace")).toBeInstanceOf(FileNotFoundError);
    expect(cwdRefusal(`${N} notdir`, N, "/workspace/x", "/workspace")).toBeInstanceOf(WrongFileTypeError);
    expect(cwdRefusal(`${N} denied`, N, "/workspace/x", "/workspace")).toBeInstanceOf(PermissionDeniedError);
  });

  it("ignores anything without the nonce (a user's output cannot pass for a refusal)", () => {
    expect(cwdRefusal("1234", N, "x", "/workspace")).toBeNull();
    expect(cwdRefusal(`other outside /etc`, N, "x", "/workspace")).toBeNull();
  });

  it("checks /proc, /sys and /dev and the work dir after resolving with cd -P", () => {
    const script = cwdCheckScript(2);
    expect(script).toContain('cd -P -- "$d"');
    expect(script).toContain("/proc/*|/sys/*|/dev/*");
    expect(script.trim().endsWith('exec "$@"')).toBe(true);
  });
});
