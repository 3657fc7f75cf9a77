// The sandbox the kernel benchmarks run in: the python-datascience runtime,
// built (or found by tag) through the runtime module's ImageBuilder.
import Docker from "dockerode";
import { ensureBaseImage } from "../server/sandbox/base-image";
import { BUILTIN_RUNTIMES, DockerSandbox, ImageBuilder, LABELS, type RuntimeConfig, type SandboxLimits } from "../server/sandbox";

export const docker = new Docker({ socketPath: "/var/run/docker.sock" });

export async function benchSandbox(limits: SandboxLimits = {}): Promise<DockerSandbox<RuntimeConfig>> {
  const builder = new ImageBuilder({ docker, baseImage: () => ensureBaseImage(docker) });
  const runtime = BUILTIN_RUNTIMES["python-datascience"];
  const built = await builder.ensureImage(runtime);
  console.log(`python-datascience image: ${built.tag} (${built.cached ? "cached" : `built in ${(built.durationMs / 1000).toFixed(0)} s`})`);
  const sandbox = new DockerSandbox({ docker, runtime, imageBuilder: builder, labels: { [LABELS.test]: "bench-kernel" }, limits });
  await sandbox.start();
  return sandbox;
}
