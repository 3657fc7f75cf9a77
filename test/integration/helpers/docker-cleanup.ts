import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { removeContainer } from "~/server/sandbox/container-lifecycle";
import { LABELS } from "~/server/sandbox/labels";

// Everything a test run creates carries `tidepool.test=<run id>`; cleanup
// removes exactly that (containers first, then images), nothing else.

export function newTestRunId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export function testRunLabels(runId: string): Record<string, string> {
  return { [LABELS.test]: runId };
}

export async function removeTestResources(
  docker: Docker,
  runId: string,
): Promise<{ containers: number; images: number }> {
  const filters = { label: [`${LABELS.test}=${runId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  // With their supervisor socket folders.
  await Promise.all(containers.map((c) => removeContainer(docker, c.Id).catch(() => {})));
  const images = await docker.listImages({ filters });
  for (const image of images) {
    // Tags first (an image can carry several), then the image itself if still there.
    for (const tag of image.RepoTags ?? [])
      if (tag !== "<none>:<none>")
        await docker
          .getImage(tag)
          .remove()
          .catch(() => {});
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => {});
  }
  return { containers: containers.length, images: images.length };
}

/** Runs `cmd` in a throwaway, labelled container of `image` (no network) and returns its trimmed output. */
export async function runInImage(docker: Docker, image: string, cmd: string[], runId: string): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Tty: true,
    Env: ["NO_COLOR=1"], // plain text even on a TTY (Node colours numbers)
    Labels: testRunLabels(runId),
    HostConfig: { NetworkMode: "none" },
  });
  try {
    // Attached before start: the logs endpoint's body is JSON-parsed by docker-modem when it looks like JSON.
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const chunks: Buffer[] = [];
    const ended = new Promise<void>((resolve) => {
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", resolve);
    });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2000))]);
    const output = Buffer.concat(chunks).toString("utf8").replace(/\r\n/g, "\n").trim();
    if (StatusCode !== 0) throw new Error(`${cmd.join(" ")} exited with ${StatusCode}:\n${output}`);
    return output;
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}
