import type { RuntimeConfig } from "./schema";
import { CREATE_USER_SCRIPT, REFRESH_CA_SCRIPT, TOOLCHAINS } from "./toolchains";

// Dockerfile for a runtime. Every RUN is JSON (exec) form with a fixed script
// and user data as separate argv entries; ENV and LABEL values are quoted and
// escaped. Validation already rejects newlines, so each instruction is one line.

export type DockerfileStep = { instruction: string; title: string };

export type GeneratedDockerfile = {
  text: string;
  /** One per instruction, in order: Docker's "Step n/m" is steps[n - 1]. */
  steps: DockerfileStep[];
  /** Extra files for the build context, by name. */
  files: Record<string, string>;
};

export type DockerfileOptions = {
  baseImage: string;
  labels: Record<string, string>;
  /** PEM certificates to trust while building (a TLS-inspecting proxy's CA). */
  caCertificates?: string;
};

const CA_FILE = "tidepool-build-ca.crt";
const CA_PATH = `/usr/local/share/ca-certificates/${CA_FILE}`;

export function generateDockerfile(config: RuntimeConfig, options: DockerfileOptions): GeneratedDockerfile {
  const steps: DockerfileStep[] = [];
  const files: Record<string, string> = {};
  const add = (instruction: string, title: string) => steps.push({ instruction, title });
  // Build-time only: lets npm (Node) trust the extra CA without baking an ENV into the image.
  const buildEnv = options.caCertificates ? [`NODE_EXTRA_CA_CERTS=${CA_PATH}`] : [];
  const run = (script: string, args: string[] = []) => runInstruction(buildEnv, script, args);

  add(`FROM ${options.baseImage}`, `Start from ${options.baseImage}`);
  if (options.caCertificates) {
    files[CA_FILE] = options.caCertificates;
    add(`COPY ${CA_FILE} ${CA_PATH}`, "Add the build's CA certificates");
    add(run(REFRESH_CA_SCRIPT), "Refresh the CA store");
  }
  const { user } = config;
  // First, so this layer is shared by every runtime on the same base.
  add(
    run(CREATE_USER_SCRIPT, [String(user.uid), String(user.gid), user.name, config.workDir]),
    `Create user ${user.name} (uid ${user.uid}) and ${config.workDir}`,
  );
  config.setupCommands.forEach((command, index) => {
    add(run(command), `Setup command ${index + 1}/${config.setupCommands.length}: ${shorten(command, 80)}`);
  });
  const toolchain = TOOLCHAINS[config.packageManager];
  if (toolchain.ensure) add(run(toolchain.ensure.script), toolchain.ensure.title);
  if (config.packages.length > 0) {
    add(
      run(toolchain.install, config.packages),
      `Install ${config.packageManager} packages: ${shorten(config.packages.join(", "), 120)}`,
    );
  }
  const env = Object.entries(config.envVars).sort(([a], [b]) => (a < b ? -1 : 1));
  if (env.length > 0) {
    add(
      `ENV ${env.map(([name, value]) => `${name}=${quote(value)}`).join(" ")}`,
      `Set environment: ${env.map(([name]) => name).join(", ")}`,
    );
  }
  add(`WORKDIR ${config.workDir}`, `Set the working directory to ${config.workDir}`);
  const labels = Object.entries(options.labels);
  if (labels.length > 0)
    add(`LABEL ${labels.map(([key, value]) => `${quote(key)}=${quote(value)}`).join(" ")}`, "Label the image");
  add(`USER ${user.uid}:${user.gid}`, `Run as ${user.name} (uid ${user.uid}) by default`);

  return { text: `${steps.map((step) => step.instruction).join("\n")}\n`, steps, files };
}

/** `RUN ["/bin/sh","-c",script,"sh",...args]`, prefixed with env(1) when build-only variables are needed. */
function runInstruction(env: string[], script: string, args: string[]): string {
  const argv = [...(env.length > 0 ? ["/usr/bin/env", ...env] : []), "/bin/sh", "-c", script, "sh", ...args];
  return `RUN ${JSON.stringify(argv)}`;
}

/** Double-quoted Dockerfile word: `\`, `"` and `$` escaped so the value is taken literally. */
export function quote(value: string): string {
  return `"${value.replace(/[\\"$]/g, (char) => `\\${char}`)}"`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
