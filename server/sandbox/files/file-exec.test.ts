import { describe, expect, it } from "vitest";
import { InvalidPathError, PermissionDeniedError, SandboxInfrastructureError, WorkspaceFullError } from "../errors";
import { STATUS, throwForStatus } from "./file-exec";

describe("throwForStatus", () => {
  it("maps a full disk or quota to WorkspaceFullError, whatever the exit code", () => {
    for (const stderr of [
      "head: error writing '/workspace/.tidepool-write-1': No space left on device",
      "cat: write error: Disk quota exceeded",
    ]) {
      expect(() => throwForStatus({ exitCode: STATUS.denied, stderr }, "/workspace/a", "write")).toThrow(
        WorkspaceFullError,
      );
      expect(() => throwForStatus({ exitCode: 1, stderr }, "/workspace/a", "write")).toThrow(/Your workspace is full/);
    }
  });

  it("maps a name over the kernel's limit to InvalidPathError", () => {
    const stderr = "sh: 1: cannot create /workspace/nnnn: File name too long";
    expect(() => throwForStatus({ exitCode: STATUS.denied, stderr }, "/workspace/nnnn", "write")).toThrow(
      InvalidPathError,
    );
    expect(() => throwForStatus({ exitCode: 2, stderr }, "/workspace/nnnn", "write")).toThrow(/longer than 255 bytes/);
  });

  it("keeps the other mappings", () => {
    expect(() => throwForStatus({ exitCode: 0, stderr: "" }, "/w/a", "write")).not.toThrow();
    expect(() => throwForStatus({ exitCode: STATUS.denied, stderr: "Permission denied" }, "/w/a", "write")).toThrow(
      PermissionDeniedError,
    );
    expect(() => throwForStatus({ exitCode: 99, stderr: "boom" }, "/w/a", "write")).toThrow(SandboxInfrastructureError);
  });
});
