import { afterAll, describe, expect, it } from "vitest";
import { DockerSandbox, ImageBuilder, LABELS, resolveRuntime, SessionManager } from "~/server/sandbox";
import { makeTempDir, removeTempDir, removeTestContainers, TEST_IMAGE, testDocker, testLabels, testLabelValue } from "./helpers/docker-cleanup-sandbox";

// A sandbox made from a runtime config through the runtime module's ImageBuilder
// (a ready image, so nothing is built): its env, work dir and limits apply.

const docker = testDocker();
const label = testLabelValue("sandbox-runtime");
const builder = new ImageBuilder({ docker, baseImage: async () => TEST_IMAGE, labels: testLabels(label) });
const runtime = resolveRuntime({
  name: "bench-ready",
  description: "the base image as a runtime",
  image: TEST_IMAGE,
  envVars: { ANSWER: "42" },
  limits: { memoryMb: 300, pids: 100 },
});
let root: string | null = null;

afterAll(async () => {
  await removeTestContainers(docker, label);
  if (root) await removeTempDir(root);
});

describe("DockerSandbox from a runtime", () => {
  it("uses the image builder's tag, the runtime's env, limits and label", async () => {
    const s = new DockerSandbox({ docker, runtime, imageBuilder: builder, labels: testLabels(label) });
    try {
      expect((await s.execute("echo $ANSWER; pwd")).stdout).toBe("42\n/workspace\n");
      const info = await docker.getContainer(s.containerId!).inspect();
      expect(info.Config.Image).toBe(TEST_IMAGE);
      expect(info.Config.Labels[LABELS.runtime]).toBe("bench-ready");
      expect(info.HostConfig.Memory).toBe(300 * 1024 * 1024);
      expect(info.HostConfig.PidsLimit).toBe(100);
      expect(info.HostConfig.NetworkMode).toBe("none");
    } finally {
      await s.stop();
    }
  });

  it("a session manager creates sessions from a default runtime", async () => {
    root = await makeTempDir("sandbox-runtime");
    const m = new SessionManager({ docker, defaultRuntime: runtime, imageBuilder: builder, workspaceRoot: root, scope: label, labels: testLabels(label) });
    try {
      const s = await m.getOrCreate("runtime-user");
      expect(s.runtime?.name).toBe("bench-ready");
      expect((await s.execute("echo $ANSWER > a.txt && cat a.txt")).stdout).toBe("42\n");
    } finally {
      await m.shutdown();
    }
  });
});
