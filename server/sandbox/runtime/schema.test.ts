import { describe, expect, it } from "vitest";
import { SandboxError } from "../errors";
import { RuntimeValidationError } from "./errors";
import { PACKAGE_MANAGERS, type PackageManager } from "./package-names";
import { parseRuntimeConfig, type RuntimeConfigInput } from "./schema";

function fieldErrors(input: unknown): Record<string, string[]> {
  try {
    parseRuntimeConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeValidationError);
    return (error as RuntimeValidationError).fieldErrors;
  }
  throw new Error("expected the config to be rejected");
}

describe("parseRuntimeConfig: accepted configs", () => {
  it("fills the defaults of a minimal config", () => {
    const config = parseRuntimeConfig({ name: "tiny" });
    expect(config).toMatchObject({
      name: "tiny",
      description: "",
      packages: [],
      packageManager: "apt",
      setupCommands: [],
      envVars: {},
      workDir: "/workspace",
      cacheImage: true,
      network: false,
      limits: {},
      user: { name: "sandbox", uid: 1000, gid: 1000 },
    });
    expect(config.image).toBeUndefined();
    expect(config.baseImage).toBeUndefined();
  });

  it("keeps every field of a full config", () => {
    const input: RuntimeConfigInput = {
      name: "ml-env",
      description: "Machine learning environment",
      baseImage: "registry.example.com:5000/team/python:3.12-slim",
      packages: ["torch", "transformers[torch]>=4.40,<5", "scikit-learn==1.4.*"],
      packageManager: "pip",
      setupCommands: ["apt-get update && apt-get install -y git", 'echo "quotes \\ and $VARS" > /etc/motd'],
      envVars: { TOKENIZERS_PARALLELISM: "false", GREETING: 'hi "there" $HOME \\ ok', EMPTY: "" },
      workDir: "/home/analyst/work",
      cacheImage: false,
      network: true,
      limits: { memoryMb: 4096, cpus: 1.5, pids: 512 },
      user: { name: "analyst", uid: 1001, gid: 1001 },
      smokeCheck: 'python3 -c "import torch"',
      displayPackages: ["torch", "transformers"],
    };
    expect(parseRuntimeConfig(input)).toEqual(input);
  });

  it.each<[PackageManager, string[]]>([
    ["apt", ["jq", "python3-pandas", "libc6:amd64", "jq=1.6-2.1+deb12u1", "g++"]],
    ["pip", ["numpy", "pandas[excel,performance]>=2.0,<3", "scikit-learn==1.4.*", "zope.interface", "requests~=2.31"]],
    ["npm", ["typescript", "@types/react", "react@^19", "typescript@5.6.3", "vite@latest"]],
    ["cargo", ["ripgrep", "cargo-edit", "ripgrep@14.1.0"]],
  ])("accepts good %s package names", (packageManager, packages) => {
    expect(parseRuntimeConfig({ name: "ok", packageManager, packages }).packages).toEqual(packages);
  });

  it("accepts a ready-made image with no build fields", () => {
    expect(parseRuntimeConfig({ name: "prebuilt", image: "myregistry/python-ds:v1" }).image).toBe(
      "myregistry/python-ds:v1",
    );
  });
});

describe("parseRuntimeConfig: rejected configs", () => {
  const hostile = [
    "numpy;id",
    "$(id)",
    "a\nRUN id",
    "--index-url=http://x",
    "-r /etc/passwd",
    "file:../../x",
    "`id`",
    "numpy && id",
    "numpy|id",
    "git+https://github.com/x/y",
    "https://evil.example/pkg.tgz",
    "../x",
    "./local",
    "/etc/passwd",
    "numpy>/tmp/x",
    "a\rb",
    "a\u0000b",
    "",
  ];

  for (const packageManager of PACKAGE_MANAGERS) {
    it.each(hostile)(`rejects the ${packageManager} package %j with an error on packages.1`, (name) => {
      const errors = fieldErrors({ name: "bad", packageManager, packages: ["fine-name", name] });
      expect(Object.keys(errors)).toEqual(["packages.1"]);
      expect(errors["packages.1"]?.[0]).toMatch(/.+ (is|contains|starts|looks)/);
    });
  }

  it("explains the problem in words", () => {
    expect(fieldErrors({ name: "x", packageManager: "pip", packages: ["numpy;id"] })["packages.0"]).toEqual([
      `"numpy;id" contains the character ';', which is not allowed in a package name`,
    ]);
    expect(fieldErrors({ name: "x", packageManager: "pip", packages: ["-r /etc/passwd"] })["packages.0"]?.[0]).toMatch(
      /whitespace/,
    );
    expect(
      fieldErrors({ name: "x", packageManager: "pip", packages: ["--index-url=http://x"] })["packages.0"]?.[0],
    ).toMatch(/starts with '-'/);
    expect(fieldErrors({ name: "x", packageManager: "npm", packages: ["file:../../x"] })["packages.0"]?.[0]).toMatch(
      /URL or a file: spec/,
    );
    expect(fieldErrors({ name: "x", packageManager: "apt", packages: ["a\nRUN id"] })["packages.0"]?.[0]).toBe(
      '"a\\nRUN id" contains a control character (newline, CR, NUL, …)',
    );
    expect(fieldErrors({ name: "x", packageManager: "apt", packages: ["Python3"] })["packages.0"]?.[0]).toMatch(
      /not a Debian package name/,
    );
  });

  it("rejects a package listed twice", () => {
    expect(fieldErrors({ name: "x", packages: ["jq", "jq"] })["packages.1"]?.[0]).toMatch(/listed twice/);
  });

  it("rejects env names that are not POSIX, keyed by the name", () => {
    const errors = fieldErrors({ name: "x", envVars: { "A=B": "1", "1ABC": "1", "WITH SPACE": "1", GOOD_NAME: "1" } });
    expect(Object.keys(errors).sort()).toEqual(["envVars.1ABC", "envVars.A=B", "envVars.WITH SPACE"]);
  });

  it("rejects env values with a newline, CR or NUL", () => {
    const errors = fieldErrors({
      name: "x",
      envVars: { NL: "a\nRUN id", CR: "a\rb", NUL: "a\u0000b", FINE: "tab\tis ok" },
    });
    expect(errors["envVars.NL"]).toEqual(["value contains a newline; it must be a single line"]);
    expect(errors["envVars.CR"]?.[0]).toMatch(/carriage return/);
    expect(errors["envVars.NUL"]?.[0]).toMatch(/NUL/);
    expect(errors["envVars.FINE"]).toBeUndefined();
  });

  it("rejects setup commands and smoke checks with a NUL or a newline", () => {
    const errors = fieldErrors({
      name: "x",
      setupCommands: ["echo ok", "echo a\u0000b", "echo a\nRUN id"],
      smokeCheck: "true\ntrue",
    });
    expect(errors["setupCommands.1"]?.[0]).toMatch(/NUL/);
    expect(errors["setupCommands.2"]?.[0]).toMatch(/newline/);
    expect(errors["smokeCheck"]?.[0]).toMatch(/newline/);
    expect(errors["setupCommands.0"]).toBeUndefined();
  });

  it("reports every bad field at once", () => {
    const errors = fieldErrors({
      name: "Bad Name",
      packages: ["numpy;id"],
      envVars: { "A=B": "1" },
      workDir: "relative",
      user: { uid: 0 },
      baseImage: "python:3.12 slim",
    });
    expect(Object.keys(errors).sort()).toEqual([
      "baseImage",
      "envVars.A=B",
      "name",
      "packages.0",
      "user.uid",
      "workDir",
    ]);
    expect(errors["user.uid"]).toEqual(["must not be 0 (root)"]);
  });

  it.each([
    ["relative", /absolute/],
    ["/", /may only contain/],
    ["/work space", /may only contain/],
    ["/workspace/../etc", /'\.\.'/],
    ["/etc/sandbox", /must not be inside \/etc/],
    ["/usr", /must not be inside \/usr/],
    ["/$HOME", /may only contain/],
  ])("rejects the work dir %j", (workDir, message) => {
    expect(fieldErrors({ name: "x", workDir })["workDir"]?.[0]).toMatch(message);
  });

  it.each(["$BASE", "python:3.12\nRUN id", "python:3.12 AS x", "UPPER/case", "img@sha256:123"])(
    "rejects the base image %j",
    (baseImage) => {
      expect(fieldErrors({ name: "x", baseImage })["baseImage"]?.[0]).toMatch(/image reference/);
    },
  );

  it("rejects image together with baseImage or build fields", () => {
    const errors = fieldErrors({
      name: "x",
      image: "a/b:1",
      baseImage: "c/d:2",
      packages: ["jq"],
      setupCommands: ["true"],
    });
    expect(errors["image"]?.[0]).toMatch(/not both/);
    expect(errors["packages"]?.[0]).toMatch(/use baseImage/);
    expect(errors["setupCommands"]?.[0]).toMatch(/use baseImage/);
  });

  it("rejects unknown fields and wrong types", () => {
    const errors = fieldErrors({ name: "x", packageManager: "yum", network: "yes", extra: 1 });
    expect(Object.keys(errors).sort()).toEqual(["", "network", "packageManager"]);
  });

  it("throws a SandboxError with code runtime_invalid and a readable message", () => {
    try {
      parseRuntimeConfig({ name: "x", packages: ["numpy;id"] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SandboxError);
      expect((error as SandboxError).code).toBe("runtime_invalid");
      expect((error as Error).message).toContain("packages.0: \"numpy;id\" contains the character ';'");
    }
  });
});
