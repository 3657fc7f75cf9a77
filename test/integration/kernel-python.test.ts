import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DockerSandbox, KernelStartError, PythonKernel, type RuntimeConfig } from "~/server/sandbox";
import { compileCheckArgs, pythonSources } from "~/scripts/lib/python-programs";
import { ensureRuntimeImage, removeLabelled, runtimeSandbox, testLabel } from "../fixtures/runtime-sandbox";
import { makeTempDir, makeWorkspaceDir, removeTempDir } from "./helpers/docker-cleanup-sandbox";

// The persistent Python kernel on real Docker with the python-datascience
// runtime: state between runs, notebook-style values, errors as data,
// interrupts, restarts, figures and tables.

const label = testLabel("kernel-python");
let sandbox: DockerSandbox<RuntimeConfig>;
let kernel: PythonKernel;
let root: string | null = null;

beforeAll(async () => {
  await ensureRuntimeImage("python-datascience");
  root = await makeTempDir("kernel-python");
  // A bind-mounted workspace, so files outlive a stopped container.
  sandbox = runtimeSandbox("python-datascience", label, { volumes: { [await makeWorkspaceDir(root)]: "/workspace" } });
  kernel = new PythonKernel(sandbox, { interruptGraceMs: 1_500 });
  await sandbox.start();
}, 900_000);

afterAll(async () => {
  await sandbox?.stop();
  await removeLabelled(label);
  if (root) await removeTempDir(root);
});

describe("PythonKernel", () => {
  it("its .py files and the workspace scan compile with the sandbox's Python (the unit layer's check, where the host has none)", async () => {
    // One file per run: a request's argv is capped (supervisor frames).
    for (const source of pythonSources(path.resolve(import.meta.dirname, "../.."))) {
      const check = await sandbox.run(["python3", ...compileCheckArgs([source])], { timeoutMs: 60_000 });
      expect(check.stdout + check.stderr).toBe("");
      expect(check.exitCode).toBe(0);
    }
  });

  it("keeps variables between runs and returns the last expression like a notebook", async () => {
    const first = await kernel.run("x = 40\ndef add(a, b):\n    return a + b");
    expect(first).toMatchObject({ stdout: "", restarted: false, interrupted: false });
    expect(first.result).toBeUndefined();
    expect(first.error).toBeUndefined();
    const second = await kernel.run("y = add(x, 2)\ny");
    expect(second.result).toBe("42");
    expect((await kernel.run("'text'")).result).toBe("'text'");
    // A trailing semicolon hides the value, as in Jupyter; None shows nothing.
    expect((await kernel.run("y;")).result).toBeUndefined();
    expect((await kernel.run("None")).result).toBeUndefined();
    expect((await kernel.run("_ * 2")).result).toBe("'texttext'");
  });

  it("returns exceptions as data with a traceback that starts in the user's code", async () => {
    const result = await kernel.run("def boom():\n    return 1 / 0\n\nboom()");
    expect(result.error).toMatchObject({ name: "ZeroDivisionError", value: "division by zero" });
    expect(result.error?.traceback).toContain("Traceback (most recent call last)");
    expect(result.error?.traceback).toContain("line 4, in <module>");
    expect(result.error?.traceback).toContain("return 1 / 0");
    expect(result.error?.traceback).not.toContain("<string>");
    const syntax = await kernel.run("def f(:\n  pass");
    expect(syntax.error?.name).toBe("SyntaxError");
    expect(syntax.error?.traceback).toContain("def f(:");
    // sys.exit() and input() do not take the kernel down or hang it.
    expect((await kernel.run("import sys\nsys.exit(2)")).error?.name).toBe("SystemExit");
    expect((await kernel.run("input('? ')")).error?.name).toBe("EOFError");
    expect((await kernel.run("x")).result).toBe("40");
  });

  it("captures stdout and stderr, including child processes, streams them, and caps them", async () => {
    const chunks: string[] = [];
    const result = await kernel.run(
      "import os, sys, subprocess\nprint('hello')\nprint('warn', file=sys.stderr)\nos.system('echo from-shell')\nsubprocess.run(['sh', '-c', 'echo child-err >&2'])\n7",
      { onOutput: (chunk) => chunks.push(`${chunk.stream}:${chunk.text}`) },
    );
    expect(result.stdout).toContain("hello\n");
    expect(result.stdout).toContain("from-shell\n");
    expect(result.stderr).toContain("warn\n");
    expect(result.stderr).toContain("child-err\n");
    expect(result.result).toBe("7");
    expect(chunks.join("")).toContain("stdout:hello");
    const big = await kernel.run("print('x' * 300_000)");
    expect(big.truncated).toBe(true);
    expect(big.stdout.length).toBe(100_000);
  });

  it("keeps prints and child-process output in the order they were written", async () => {
    const result = await kernel.run("import os, subprocess, sys\nprint('one')\nos.system('echo two')\nprint('three')\nsubprocess.run(['echo', 'four'])\nsys.stdout.buffer.write(b'five\\n')\nprint('six')");
    expect(result.stdout).toBe("one\ntwo\nthree\nfour\nfive\nsix\n");
    const many = await kernel.run("import os\nfor i in range(20):\n    print('py', i)\n    os.system('echo sh %d' % i)");
    const expected = Array.from({ length: 20 }, (_, i) => `py ${i}\nsh ${i}\n`).join("");
    expect(many.stdout).toBe(expected);
  });

  it("decodes multi-byte UTF-8 from a child process exactly, whatever the chunking", async () => {
    // 9 000 characters of two- and four-byte sequences, written in odd-sized blocks.
    const code = [
      "import subprocess, sys",
      "script = \"import os\\ndata = ('é🚀' * 4500).encode()\\nfor i in range(0, len(data), 4093):\\n    os.write(1, data[i:i + 4093])\\n\"",
      "subprocess.run([sys.executable, '-c', script])",
    ].join("\n");
    for (let round = 0; round < 3; round++) {
      const result = await kernel.run(code);
      expect(result.error).toBeUndefined();
      expect(result.stdout).not.toContain("\uFFFD");
      expect(result.stdout).toBe("é🚀".repeat(4500));
    }
  });

  it("interrupts code that runs past the timeout and keeps the variables", async () => {
    await kernel.run("kept = 'still here'");
    const result = await kernel.run("import time\nfor i in range(100):\n    time.sleep(0.1)", { timeoutMs: 500 });
    expect(result).toMatchObject({ interrupted: true, timedOut: true, restarted: false });
    expect(result.error?.name).toBe("KeyboardInterrupt");
    expect(result.durationMs).toBeLessThan(5_000);
    expect((await kernel.run("kept, i < 99")).result).toBe("('still here', True)");
  });

  it("an abort signal interrupts like a timeout", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await kernel.run("import time\ntime.sleep(30)", { signal: controller.signal });
    expect(result).toMatchObject({ interrupted: true, timedOut: false, restarted: false });
    expect((await kernel.run("kept")).result).toBe("'still here'");
  });

  it("kills and restarts a kernel whose code ignores the interrupt, and says so once", async () => {
    const result = await kernel.run("import signal, time\nsignal.signal(signal.SIGINT, lambda *a: None)\ntime.sleep(60)", { timeoutMs: 300 });
    expect(result).toMatchObject({ interrupted: true, timedOut: true, restarted: true });
    expect(result.error?.name).toBe("TimeoutError");
    expect(result.error?.value).toMatch(/Variables were reset/);
    const next = await kernel.run("'kept' in globals()");
    expect(next).toMatchObject({ result: "False", restarted: false });
  });

  it("a kernel killed from outside comes back fresh with restarted: true", async () => {
    await kernel.run("survivor = 1");
    const pid = kernel.info?.pid;
    expect(pid).toBeGreaterThan(0);
    expect((await sandbox.execute(`kill -9 ${pid}`)).exitCode).toBe(0);
    const result = await kernel.run("'survivor' in globals()");
    expect(result).toMatchObject({ result: "False", restarted: true });
    expect(kernel.info?.pid).not.toBe(pid);
    expect((await kernel.run("1")).restarted).toBe(false);
  });

  it("a kernel killed by a signal from inside the sandbox is not called out of memory", async () => {
    const result = await kernel.run("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)");
    expect(result.error?.name).toBe("KernelDied");
    expect(result.error?.value).toContain("killed by signal 9 (SIGKILL) from inside the sandbox, not by the memory limit");
    expect(result.restarted).toBe(true);
  });

  it("a kernel that exits under the code reports it in that run", async () => {
    const result = await kernel.run("import os\nprint('bye', flush=True)\nos._exit(3)");
    expect(result.error).toMatchObject({ name: "KernelDied" });
    expect(result.error?.value).toContain("exited with code 3");
    expect(result.restarted).toBe(true);
    expect((await kernel.run("2 + 2")).result).toBe("4");
  });

  it("saves matplotlib figures under /workspace/figures and returns them as PNG", async () => {
    const result = await kernel.run(
      "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 3, 2])\nplt.figure()\nplt.bar(['a', 'b'], [1, 2])\nplt.show()",
    );
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe("");
    expect(result.figures).toHaveLength(2);
    for (const figure of result.figures) {
      expect(figure.path).toMatch(/^\/workspace\/figures\/\d{8}-\d{6}-\d{3}-\d+\.png$/);
      const png = Buffer.from(figure.pngBase64, "base64");
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      const stored = await sandbox.readBytes(figure.path);
      expect(stored.equals(png)).toBe(true);
    }
    // Figures are closed after they are returned: the next run has none.
    expect((await kernel.run("len(plt.get_fignums())")).result).toBe("0");
  });

  it("returns a DataFrame as a table with a short text repr", async () => {
    const result = await kernel.run(
      "import pandas as pd, numpy as np\ndf = pd.DataFrame({'city': ['a', 'b', None] * 40, 'n': np.arange(120), 'v': [1.5, np.nan, 3.0] * 40, 'when': pd.date_range('2024-01-01', periods=120)})\ndf",
    );
    expect(result.error).toBeUndefined();
    expect(result.tables).toHaveLength(1);
    const table = result.tables[0]!;
    expect(table).toMatchObject({ name: "df", columns: ["city", "n", "v", "when"], dtypes: ["object", "int64", "float64", "datetime64[ns]"], totalRows: 120 });
    expect(table.rows).toHaveLength(50);
    expect(table.rows[0]).toEqual(["a", 0, 1.5, "2024-01-01T00:00:00"]);
    expect(table.rows[1]).toEqual(["b", 1, null, "2024-01-02T00:00:00"]);
    expect(table.rows[2]?.[0]).toBeNull();
    expect(result.result).toContain("[120 rows x 4 columns]");
    expect(result.result!.split("\n").length).toBeLessThan(30);
    const grouped = await kernel.run("df.groupby('city')['v'].mean()");
    expect(grouped.tables[0]).toMatchObject({ name: null, columns: ["city", "v"], totalRows: 2 });
    const saved = await kernel.run("df.to_csv('/workspace/clean.csv', index=False)\nfrom pathlib import Path\nPath('notes.md').write_text('hi')\nopen('/tmp/scratch.txt', 'w').close()");
    expect(saved.files).toEqual(["/workspace/clean.csv", "/workspace/notes.md"]);
    const shown = await kernel.run("display(df.head(3))\nprint('after')");
    expect(shown.tables[0]?.rows).toHaveLength(3);
    expect(shown.stdout).toContain("after");
  });

  it("queues concurrent runs on one kernel", async () => {
    await kernel.run("order = []");
    const runs = await Promise.all([1, 2, 3].map((n) => kernel.run(`import time\ntime.sleep(0.05)\norder.append(${n})\nlist(order)`)));
    expect(runs.map((r) => r.result)).toEqual(["[1]", "[1, 2]", "[1, 2, 3]"]);
  });

  it("restart() resets variables", async () => {
    await kernel.run("before_restart = True");
    await kernel.restart();
    const result = await kernel.run("'before_restart' in globals()");
    expect(result).toMatchObject({ result: "False", restarted: false });
  });

  it("after the sandbox stops and wakes, the next run reports the reset and files are intact", async () => {
    await kernel.run("open('/workspace/notes.txt', 'w').write('persist me')\nvalue = 5");
    await sandbox.stop();
    expect(kernel.stateLost).toBe(true);
    const result = await kernel.run("'value' in globals(), open('/workspace/notes.txt').read()");
    expect(result).toMatchObject({ restarted: true, result: "(False, 'persist me')" });
  });
});

describe("PythonKernel on other runtimes", () => {
  const minimalLabel = testLabel("kernel-minimal");
  afterAll(() => removeLabelled(minimalLabel));

  it("works on python-minimal without pandas or matplotlib", async () => {
    await ensureRuntimeImage("python-minimal");
    const minimal = runtimeSandbox("python-minimal", minimalLabel);
    try {
      const k = new PythonKernel(minimal);
      const result = await k.run("import json\nprint(json.dumps({'a': 1}))\n{'b': 2}");
      expect(result).toMatchObject({ stdout: '{"a": 1}\n', result: "{'b': 2}", figures: [], tables: [] });
      expect(k.info).toMatchObject({ pandas: false, matplotlib: false });
    } finally {
      await minimal.stop();
    }
  });

  it("a runtime without Python fails with a clear KernelStartError", async () => {
    const node = runtimeSandbox("python-minimal", minimalLabel, { runtime: undefined, image: "tidepool/base:bookworm" });
    try {
      const k = new PythonKernel(node);
      await expect(k.run("1")).rejects.toThrow(KernelStartError);
      await expect(k.run("1")).rejects.toThrow(/no Python/);
    } finally {
      await node.stop();
    }
  });
});
