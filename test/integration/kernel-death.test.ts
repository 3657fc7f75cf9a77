import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonKernel } from "~/server/sandbox";
import { ensureRuntimeImage, removeLabelled, runtimeSandbox, testLabel } from "../fixtures/runtime-sandbox";

// Why a kernel died under the code, told from the container's state: the
// memory limit, the sandbox stopping, each with its own message (exit code 137
// alone cannot tell them apart).

const label = testLabel("kernel-death");

beforeAll(async () => {
  await ensureRuntimeImage("python-minimal");
}, 900_000);

afterAll(() => removeLabelled(label));

describe("PythonKernel death reasons", () => {
  it("says the kernel ran out of memory when the memory limit killed it, and recovers", async () => {
    const sandbox = runtimeSandbox("python-minimal", label, { limits: { memoryMb: 128, tmpMb: 16 } });
    try {
      const kernel = new PythonKernel(sandbox);
      await kernel.run("kept = 1");
      const result = await kernel.run("blocks = []\nwhile True:\n    blocks.append(bytearray(8 * 1024 * 1024))");
      expect(result.error?.name).toBe("KernelDied");
      expect(result.error?.value).toContain("ran out of memory");
      expect(result.error?.value).toContain("Variables were reset");
      expect(result.restarted).toBe(true);
      const next = await kernel.run("'kept' in globals()");
      expect(next).toMatchObject({ result: "False", restarted: false });
      // A later kill inside the same container is not blamed on memory.
      const killed = await kernel.run("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)");
      expect(killed.error?.value).toContain("killed by signal 9");
      expect(killed.error?.value).not.toContain("memory limit and was killed");
    } finally {
      await sandbox.stop();
    }
  });

  it("says the sandbox was stopped when it stops mid-run, not that memory ran out", async () => {
    const sandbox = runtimeSandbox("python-minimal", label);
    try {
      const kernel = new PythonKernel(sandbox);
      await kernel.run("x = 1");
      const running = kernel.run("import time\nprint('working', flush=True)\ntime.sleep(60)");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await sandbox.stop();
      const result = await running;
      expect(result.error?.name).toBe("KernelDied");
      expect(result.error?.value).toContain("The sandbox was stopped while the code ran");
      expect(result.error?.value).not.toMatch(/memory/);
      expect(result.stdout).toBe("working\n");
      expect(result.restarted).toBe(true);
      // The next run wakes the sandbox on a fresh kernel.
      expect((await kernel.run("'x' in globals()")).result).toBe("False");
    } finally {
      await sandbox.stop();
    }
  });
});
