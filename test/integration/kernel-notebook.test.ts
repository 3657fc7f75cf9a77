import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DockerSandbox, PythonKernel, type RuntimeConfig } from "~/server/sandbox";
import { ensureRuntimeImage, removeLabelled, runtimeSandbox, testLabel } from "../fixtures/runtime-sandbox";

// Notebook habits on real Docker: shell escapes, cell magics, %pip without a
// network, top-level await and the execution count.

const label = testLabel("kernel-notebook");
let sandbox: DockerSandbox<RuntimeConfig>;
let kernel: PythonKernel;

beforeAll(async () => {
  await ensureRuntimeImage("python-minimal");
  sandbox = runtimeSandbox("python-minimal", label);
  kernel = new PythonKernel(sandbox);
  await sandbox.start();
}, 900_000);

afterAll(async () => {
  await sandbox?.stop();
  await removeLabelled(label);
});

describe("PythonKernel notebook habits", () => {
  it("runs !cmd lines in a shell, in order with prints, indented ones too", async () => {
    const result = await kernel.run("print('before')\n!echo from-shell\nfor i in range(2):\n    !echo loop $((1 + 1))\nprint('after')");
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe("before\nfrom-shell\nloop 2\nloop 2\nafter\n");
    const failed = await kernel.run("!ls /nowhere");
    expect(failed.error).toBeUndefined();
    expect(failed.stderr).toContain("No such file or directory");
    expect(failed.stderr).toContain("[exit code 2]");
    const captured = await kernel.run("lines = !printf 'a\\nb\\n'\nlines");
    expect(captured.result).toBe("['a', 'b']");
  });

  it("runs a %%bash cell as a script", async () => {
    const result = await kernel.run("%%bash\nset -e\nx=3\necho \"x is $x\"\necho err >&2");
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe("x is 3\n");
    expect(result.stderr).toBe("err\n");
  });

  it("explains that packages come from the runtime when there is no network", async () => {
    for (const code of ["%pip install requests", "!pip install requests"]) {
      const result = await kernel.run(code);
      expect(result.error).toBeUndefined();
      expect(result.stderr).toContain("this sandbox has no network access");
      expect(result.stderr).toContain("ask an admin to add it to the runtime");
    }
    // Other magics: harmless ones work, unknown ones say what is supported.
    expect((await kernel.run("%matplotlib inline\n1 + 1")).result).toBe("2");
    const unknown = await kernel.run("%timeit 1 + 1");
    expect(unknown.error).toMatchObject({ name: "UsageError" });
    expect(unknown.error?.value).toContain("Supported: !command");
    expect(unknown.error?.traceback).toBe(`UsageError: ${unknown.error?.value}\n`);
  });

  it("leaves valid Python alone and reports the user's own syntax errors", async () => {
    expect((await kernel.run("a = 7 % 4\nb = '!x'\n(a, b)")).result).toBe("(3, '!x')");
    const broken = await kernel.run("!echo hi\ndef f(:\n    pass");
    expect(broken.error?.name).toBe("SyntaxError");
  });

  it("supports top-level await on one event loop kept between runs", async () => {
    const first = await kernel.run("import asyncio\nasync def twice(x):\n    await asyncio.sleep(0.01)\n    return 2 * x\nvalue = await twice(4)\nawait twice(value)");
    expect(first.error).toBeUndefined();
    expect(first.result).toBe("16");
    const task = await kernel.run("task = asyncio.ensure_future(twice(21))\nawait asyncio.sleep(0.05)\ntask.done()");
    expect(task.result).toBe("True");
    expect((await kernel.run("await task")).result).toBe("42");
    expect((await kernel.run("async with asyncio.timeout(1):\n    await asyncio.sleep(0)\n'ok'")).result).toBe("'ok'");
  });

  it("numbers each run like a notebook", async () => {
    const a = await kernel.run("1");
    const b = await kernel.run("2");
    expect(a.executionCount).toBeGreaterThan(0);
    expect(b.executionCount).toBe(a.executionCount! + 1);
  });
});
