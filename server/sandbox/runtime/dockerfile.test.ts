import { describe, expect, it } from "vitest";
import { generateDockerfile, quote } from "./dockerfile";
import { parseRuntimeConfig, type RuntimeConfigInput } from "./schema";

const BASE = "tidepool/base:bookworm";
const LABELS = { "tidepool.managed": "true", "tidepool.runtime": "demo" };

function dockerfile(input: Partial<RuntimeConfigInput>, options: { caCertificates?: string } = {}) {
  return generateDockerfile(parseRuntimeConfig({ name: "demo", ...input }), {
    baseImage: BASE,
    labels: LABELS,
    ...options,
  });
}

/** The argv of each JSON-form RUN line. */
function runArgv(text: string): string[][] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("RUN "))
    .map((line) => JSON.parse(line.slice(4)) as string[]);
}

describe("generateDockerfile", () => {
  it("apt: user first, packages as argv, env, work dir, labels, non-root user", () => {
    const { text, steps } = dockerfile({
      packageManager: "apt",
      packages: ["jq", "python3-pandas"],
      envVars: { B: "2", A: "1" },
    });
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(`FROM ${BASE}`);
    expect(lines[1]).toMatch(
      /^RUN \["\/bin\/sh","-c","set -e; uid=\$1; .*useradd .*","sh","1000","1000","sandbox","\/workspace"\]$/,
    );
    expect(lines[2]).toBe(
      'RUN ["/bin/sh","-c","set -e; export DEBIAN_FRONTEND=noninteractive; apt-get update; apt-get install -y --no-install-recommends -- \\"$@\\"; apt-get clean; rm -rf /var/lib/apt/lists/*","sh","jq","python3-pandas"]',
    );
    expect(lines.slice(3)).toEqual([
      'ENV A="1" B="2"',
      "WORKDIR /workspace",
      'LABEL "tidepool.managed"="true" "tidepool.runtime"="demo"',
      "USER 1000:1000",
    ]);
    expect(steps.map((step) => step.instruction)).toEqual(lines);
    expect(steps[2]?.title).toBe("Install apt packages: jq, python3-pandas");
  });

  it("pip: ensures pip, then installs with argv and no cache", () => {
    const { text } = dockerfile({ packageManager: "pip", packages: ["numpy>=1.26", "pandas[excel]"] });
    const [, ensure, install] = runArgv(text);
    expect(ensure?.[2]).toContain("if python3 -m pip --version >/dev/null 2>&1; then exit 0; fi");
    expect(ensure?.[2]).toContain(
      "apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv",
    );
    expect(install).toEqual([
      "/bin/sh",
      "-c",
      'set -e; export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1; python3 -m pip install -- "$@"',
      "sh",
      "numpy>=1.26",
      "pandas[excel]",
    ]);
  });

  it("npm: ensures Node.js 24 and npm 11 from npm, then installs globally", () => {
    const { text, steps } = dockerfile({ packageManager: "npm", packages: ["typescript", "@types/react@19"] });
    const [, ensure, install] = runArgv(text);
    expect(ensure?.[2]).toContain("if command -v npm >/dev/null 2>&1; then exit 0; fi");
    expect(ensure?.[2]).toContain("npm install -g --no-fund --no-audit --loglevel=warn node@24");
    expect(ensure?.[2]).toContain("npm install -g --no-fund --no-audit --loglevel=warn npm@11");
    expect(ensure?.[2]).toContain("apt-get purge -y --auto-remove nodejs npm");
    expect(install?.slice(2)).toEqual([
      'set -e; npm install -g --no-fund --no-audit --loglevel=warn -- "$@"; rm -rf /root/.npm',
      "sh",
      "typescript",
      "@types/react@19",
    ]);
    expect(steps[2]?.title).toBe("Install Node.js 24 and npm 11 if missing");
  });

  it("npm with no packages still installs the toolchain (node-minimal)", () => {
    const argv = runArgv(dockerfile({ packageManager: "npm" }).text);
    expect(argv).toHaveLength(2);
    expect(argv[1]?.[2]).toContain("node@24");
  });

  it("cargo: ensures cargo, installs into /usr/local", () => {
    const [, ensure, install] = runArgv(dockerfile({ packageManager: "cargo", packages: ["ripgrep@14.1.0"] }).text);
    expect(ensure?.[2]).toContain("apt-get install -y --no-install-recommends ca-certificates cargo");
    expect(install?.slice(2)).toEqual([
      'set -e; export CARGO_HOME=/tmp/cargo-home; cargo install --root /usr/local -- "$@"; rm -rf /tmp/cargo-home',
      "sh",
      "ripgrep@14.1.0",
    ]);
  });

  it("apt with no packages has no install step", () => {
    const { text } = dockerfile({});
    expect(runArgv(text)).toHaveLength(1);
    expect(text).not.toContain("apt-get");
  });

  it("runs setup commands before packages, each as one JSON-form RUN", () => {
    const setupCommands = ["apt-get update", `echo "]\\" && echo '\\\\' $HOME > /tmp/x`];
    const argv = runArgv(dockerfile({ packageManager: "apt", packages: ["jq"], setupCommands }).text);
    expect(argv.slice(1, 3)).toEqual([
      ["/bin/sh", "-c", "apt-get update", "sh"],
      ["/bin/sh", "-c", setupCommands[1], "sh"],
    ]);
    expect(argv[3]?.at(-1)).toBe("jq");
  });

  it("keeps every instruction on one line whatever the values hold", () => {
    const { text, steps } = dockerfile({
      setupCommands: ['printf "%s\\n" "a\\\\" \\'],
      envVars: { TRAILING: "ends with backslash \\", QUOTES: `"'`, DOLLAR: "$HOME ${PATH}" },
    });
    expect(text.trimEnd().split("\n")).toHaveLength(steps.length);
    for (const line of text.trimEnd().split("\n")) expect(line).toMatch(/^(FROM|RUN|ENV|WORKDIR|LABEL|USER) /);
  });

  it("quotes ENV values so the builder takes them literally", () => {
    expect(quote('a "b" $HOME \\ c')).toBe('"a \\"b\\" \\$HOME \\\\ c"');
    const { text } = dockerfile({ envVars: { GREETING: 'hi "x" $HOME \\' } });
    expect(text).toContain('ENV GREETING="hi \\"x\\" \\$HOME \\\\"');
  });

  it("honours the work dir and user", () => {
    const { text } = dockerfile({ workDir: "/home/analyst/work", user: { name: "analyst", uid: 1500, gid: 1600 } });
    expect(runArgv(text)[0]?.slice(3)).toEqual(["sh", "1500", "1600", "analyst", "/home/analyst/work"]);
    expect(text).toContain("WORKDIR /home/analyst/work\n");
    expect(text.trimEnd().endsWith("USER 1500:1600")).toBe(true);
  });

  it("trusts extra CA certificates while building, without an ENV in the image", () => {
    const { text, files, steps } = dockerfile(
      { packageManager: "npm", packages: ["vite"] },
      { caCertificates: "-----BEGIN CERTIFICATE-----\n" },
    );
    expect(files).toEqual({ "tidepool-build-ca.crt": "-----BEGIN CERTIFICATE-----\n" });
    expect(text).toContain("COPY tidepool-build-ca.crt /usr/local/share/ca-certificates/tidepool-build-ca.crt\n");
    for (const argv of runArgv(text)) {
      expect(argv.slice(0, 3)).toEqual([
        "/usr/bin/env",
        "NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/tidepool-build-ca.crt",
        "/bin/sh",
      ]);
    }
    expect(text).not.toMatch(/^ENV /m);
    expect(steps[1]?.title).toBe("Add the build's CA certificates");
  });

  it("uses the config's own base image when it has one", () => {
    const { text } = dockerfile({ baseImage: "python:3.12-slim" });
    expect(text.startsWith(`FROM ${BASE}\n`)).toBe(true); // the builder passes the resolved base
    const own = generateDockerfile(parseRuntimeConfig({ name: "x", baseImage: "python:3.12-slim" }), {
      baseImage: "python:3.12-slim",
      labels: {},
    });
    expect(own.text.startsWith("FROM python:3.12-slim\n")).toBe(true);
    expect(own.text).not.toContain("LABEL");
  });
});
