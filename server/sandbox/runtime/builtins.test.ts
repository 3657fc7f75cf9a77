import { describe, expect, it } from "vitest";
import { BUILTIN_RUNTIME_NAMES, BUILTIN_RUNTIMES, resolveRuntime } from "./builtins";
import { RuntimeNotFoundError, RuntimeValidationError } from "./errors";
import { parseRuntimeConfig } from "./schema";

describe("BUILTIN_RUNTIMES", () => {
  it("has the seeds' five runtimes", () => {
    expect(BUILTIN_RUNTIME_NAMES).toEqual([
      "python-minimal",
      "python-datascience",
      "python-web",
      "node-minimal",
      "node-react",
    ]);
  });

  it.each(BUILTIN_RUNTIME_NAMES)("%s is a valid config with a smoke check, no network and the sandbox user", (name) => {
    const config = BUILTIN_RUNTIMES[name];
    expect(parseRuntimeConfig(config)).toEqual(config);
    expect(config.name).toBe(name);
    expect(config.smokeCheck).toBeTruthy();
    expect(config.network).toBe(false);
    expect(config.user.uid).toBe(1000);
    expect(config.image).toBeUndefined();
    expect(config.baseImage).toBeUndefined(); // built on the builder's base
  });

  it("installs Python from Debian packages (PyPI is not reachable everywhere)", () => {
    const datascience = BUILTIN_RUNTIMES["python-datascience"];
    expect(datascience.packageManager).toBe("apt");
    for (const name of [
      "python3-pandas",
      "python3-numpy",
      "python3-matplotlib",
      "python3-sklearn",
      "python3-seaborn",
      "python3-openpyxl",
    ]) {
      expect(datascience.packages).toContain(name);
    }
    expect(datascience.displayPackages).toEqual([
      "pandas",
      "numpy",
      "matplotlib",
      "scikit-learn",
      "seaborn",
      "openpyxl",
    ]);
    expect(BUILTIN_RUNTIMES["python-web"].packages).toEqual([
      "python3",
      "python3-fastapi",
      "python3-sqlalchemy",
      "python3-httpx",
      "python3-uvicorn",
    ]);
    expect(BUILTIN_RUNTIMES["node-react"]).toMatchObject({
      packageManager: "npm",
      packages: ["typescript", "vite", "react", "react-dom"],
    });
  });

  it("cannot be edited in place", () => {
    expect(() => BUILTIN_RUNTIMES["python-minimal"].packages.push("x")).toThrow(TypeError);
    expect(() => {
      BUILTIN_RUNTIMES["python-minimal"].envVars.X = "1";
    }).toThrow(TypeError);
  });
});

describe("resolveRuntime", () => {
  it("returns a built-in by name", () => {
    expect(resolveRuntime("node-react")).toBe(BUILTIN_RUNTIMES["node-react"]);
  });

  it("validates a config", () => {
    expect(resolveRuntime({ name: "custom", packages: ["jq"] }).packages).toEqual(["jq"]);
    expect(() => resolveRuntime({ name: "custom", packages: ["jq;id"] })).toThrow(RuntimeValidationError);
  });

  it("names the known runtimes when the name is unknown", () => {
    expect(() => resolveRuntime("python-gpu")).toThrow(RuntimeNotFoundError);
    expect(() => resolveRuntime("python-gpu")).toThrow(
      'Unknown runtime "python-gpu". Known runtimes: python-minimal, python-datascience, python-web, node-minimal, node-react.',
    );
    expect(() => resolveRuntime("toString")).toThrow(RuntimeNotFoundError);
  });
});
