import { describe, expect, it } from "vitest";
import { configFromForm, EMPTY_RUNTIME_FORM, formErrorsFrom, formFromConfig, validateRuntimeForm } from "~/app/admin/_lib/runtime-form";
import { BUILTIN_RUNTIMES } from "~/server/sandbox/runtime";

// The admin's runtime form is checked with the engine's own schema; these
// pin how typed text becomes a config and where each error is shown.

describe("runtime form", () => {
  it("turns typed fields into a RuntimeConfig input, leaving blanks out", () => {
    const config = configFromForm({
      ...EMPTY_RUNTIME_FORM,
      name: " jq-tools ",
      packages: "jq, curl\nunzip",
      envVars: "A=1\nB=x=y\n",
      setupCommands: "echo one\n\necho two",
      memoryMb: "512",
    });
    expect(config).toEqual({
      name: "jq-tools",
      description: "",
      packageManager: "apt",
      packages: ["jq", "curl", "unzip"],
      setupCommands: ["echo one", "echo two"],
      envVars: { A: "1", B: "x=y" },
      workDir: "/workspace",
      network: false,
      limits: { memoryMb: 512 },
    });
  });

  it("refuses exactly what the engine refuses, next to the right field", () => {
    const { errors } = validateRuntimeForm({ ...EMPTY_RUNTIME_FORM, name: "bad-pip", packageManager: "pip", packages: "numpy numpy;id", envVars: "1X=a" });
    expect(Object.keys(errors ?? {}).sort()).toEqual(["envVars", "packages"]);
    expect(errors?.packages?.[0]).toContain('"numpy;id"');
    expect(errors?.envVars?.[0]).toMatch(/^1X: /);
    // As in the engine, package names are checked once every field has the right type.
    expect(Object.keys(validateRuntimeForm({ ...EMPTY_RUNTIME_FORM, name: "x", packages: "a;b", cpus: "lots" }).errors ?? {})).toEqual(["cpus"]);
    expect(validateRuntimeForm({ ...EMPTY_RUNTIME_FORM, name: "ok", packages: "jq" }).errors).toBeNull();
  });

  it("places server field errors, and unknown paths at the top of the form", () => {
    expect(formErrorsFrom({ name: ['"x" is taken'], "user.uid": ["must not be 0 (root)"], "setupCommands.1": ["must not be empty"] })).toEqual({
      name: ['"x" is taken'],
      form: ["user.uid: must not be 0 (root)"],
      setupCommands: ["Line 2: must not be empty"],
    });
  });

  it("round-trips every built-in through the form", () => {
    for (const config of Object.values(BUILTIN_RUNTIMES)) {
      const again = validateRuntimeForm(formFromConfig(config));
      expect(again.errors).toBeNull();
      expect(again.config).toMatchObject({ name: config.name, packages: config.packages, envVars: config.envVars, setupCommands: config.setupCommands });
    }
  });
});
