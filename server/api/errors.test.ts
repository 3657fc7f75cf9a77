import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AGENT_ERROR_CODES } from "../agent/errors";
import { KernelStartError } from "../sandbox/kernel/errors";
import { RuntimeNotFoundError } from "../sandbox/runtime/errors";
import { SANDBOX_ERROR_CODES, SandboxInfrastructureError, WorkspaceFullError } from "../sandbox/errors";
import { DOMAIN_ERROR_CODES } from "../services/errors";
import { ERROR_MAPPINGS, toTRPCError } from "./errors";

describe("error codes", () => {
  it("maps every engine, service and agent code", () => {
    const codes = [...SANDBOX_ERROR_CODES, ...DOMAIN_ERROR_CODES, ...AGENT_ERROR_CODES];
    for (const code of codes) expect(ERROR_MAPPINGS, code).toHaveProperty(code);
  });

  it("uses one casing", () => {
    for (const code of Object.keys(ERROR_MAPPINGS)) expect(code).toMatch(/^[a-z][a-z_]*$/);
  });

  it("keeps user-facing messages and hides infrastructure details", () => {
    expect(toTRPCError(new KernelStartError("No Python in this runtime."))).toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "No Python in this runtime.",
    });
    expect(toTRPCError(new RuntimeNotFoundError("x", ["a"]))).toMatchObject({ code: "NOT_FOUND" });
    const full = toTRPCError(new WorkspaceFullError("/workspace/a"));
    expect(full.code).toBe("PAYLOAD_TOO_LARGE");
    expect(full.message).toMatch(/workspace is full/);
    const hidden = toTRPCError(
      new SandboxInfrastructureError("Docker exec failed: (HTTP code 500) container not running"),
    );
    expect(hidden).toBeInstanceOf(TRPCError);
    expect(hidden.code).toBe("INTERNAL_SERVER_ERROR");
    expect(hidden.message).not.toMatch(/HTTP|Docker/);
  });
});
