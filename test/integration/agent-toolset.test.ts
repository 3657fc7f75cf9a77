import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Artifact, createConsoleToolset, describeWorkspaceFiles, runAgent } from "~/server/agent";
import { type DockerSandbox, PythonKernel, type RuntimeConfig } from "~/server/sandbox";
import { ensureRuntimeImage, removeLabelled, runtimeSandbox, testLabel } from "../fixtures/runtime-sandbox";
import { finalMessage, lastToolResultText, scriptedModel } from "../fixtures/scripted-model";
import { makeTempDir, makeWorkspaceDir, removeTempDir } from "./helpers/docker-cleanup-sandbox";

// The console toolset against a real python-datascience sandbox, driven by a
// scripted model (MockLanguageModelV4) and called directly for the failure
// cases; and the data-aware file summaries for the system prompt.

const label = testLabel("agent-toolset");
let sandbox: DockerSandbox<RuntimeConfig>;
let kernel: PythonKernel;
let root: string | null = null;

beforeAll(async () => {
  await ensureRuntimeImage("python-datascience");
  root = await makeTempDir("agent-toolset");
  sandbox = runtimeSandbox("python-datascience", label, { volumes: { [await makeWorkspaceDir(root)]: "/workspace" } });
  kernel = new PythonKernel(sandbox);
  await sandbox.start();
}, 900_000);

afterAll(async () => {
  await sandbox?.stop();
  await removeLabelled(label);
  if (root) await removeTempDir(root);
});

type AnyTool = { execute?: (input: never, options: never) => unknown };

/** Calls a tool as the AI SDK would, outside a model loop. */
async function call(tools: Record<string, AnyTool>, name: string, input: unknown): Promise<{ ok: boolean; text: string } & Record<string, unknown>> {
  const execute = tools[name]?.execute as ((input: unknown, options: unknown) => Promise<unknown>) | undefined;
  if (!execute) throw new Error(`no tool ${name}`);
  const result = await execute(input, { toolCallId: "t", messages: [] });
  let last: unknown = result;
  // execute and run_python stream preliminary outputs; the last one is the result.
  if (result && typeof result === "object" && Symbol.asyncIterator in result) {
    for await (const value of result as AsyncIterable<unknown>) last = value;
  }
  return last as { ok: boolean; text: string } & Record<string, unknown>;
}

describe("console toolset with a scripted model", () => {
  it("writes, reads and edits a file, then analyses and plots it in the kernel", async () => {
    const artifacts: Artifact[] = [];
    const csv = "city,temp\nOslo,3\nRome,18\nCairo,29\n";
    const script = [
      { toolCalls: [{ name: "write_file", input: { path: "data/weather.csv", content: csv } }] },
      { toolCalls: [{ name: "read_file", input: { path: "/workspace/data/weather.csv", offset: 1, limit: 2 } }] },
      { toolCalls: [{ name: "edit_file", input: { path: "data/weather.csv", old_string: "Rome,18", new_string: "Rome,21" } }] },
      {
        toolCalls: [
          {
            name: "run_python",
            input: {
              code: "import pandas as pd\nimport matplotlib.pyplot as plt\ndf = pd.read_csv('data/weather.csv')\ndf.plot.bar(x='city', y='temp', title='Temperature')\ndf",
            },
          },
        ],
      },
      { toolCalls: [{ name: "run_python", input: { code: "print(df['temp'].mean())" } }] },
    ];
    const model = scriptedModel((prompt, index) => script[index] ?? { text: `Mean temperature: ${lastToolResultText(prompt)}` });
    const run = await runAgent({
      model,
      sandbox,
      kernel,
      messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "plot the temperatures" }] }],
      onArtifact: (artifact) => void artifacts.push(artifact),
    });
    const message = await finalMessage(run.toUIMessageStream());

    const toolParts = message.parts.filter((part) => part.type.startsWith("tool-")) as { type: string; state: string; output: Record<string, unknown> }[];
    expect(toolParts.map((part) => [part.type, part.state])).toEqual([
      ["tool-write_file", "output-available"],
      ["tool-read_file", "output-available"],
      ["tool-edit_file", "output-available"],
      ["tool-run_python", "output-available"],
      ["tool-run_python", "output-available"],
    ]);
    expect(toolParts[0]?.output.text).toBe(`Wrote ${csv.length} bytes to /workspace/data/weather.csv.`);
    expect(toolParts[1]?.output.text).toBe("     2\tOslo,3\n     3\tRome,18\n\n[... 1 more lines. Use offset=3 to read more.]");
    expect(toolParts[2]?.output.text).toBe("Replaced 1 occurrence in /workspace/data/weather.csv.");

    const plot = toolParts[3]!.output as { text: string; figures: { path: string }[]; tables: { columns: string[]; rows: unknown[][] }[] };
    expect(plot.figures).toHaveLength(1);
    expect(plot.tables[0]).toMatchObject({ columns: ["city", "temp"], rows: [["Oslo", 3], ["Rome", 21], ["Cairo", 29]] });
    expect(plot.text).toContain("figure saved: /workspace/figures/");
    const png = await sandbox.readBytes(plot.figures[0]!.path);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // The model saw the mean from the variable kept in the kernel.
    expect(message.parts.at(-1)).toMatchObject({ type: "text", text: "Mean temperature: stdout:\n17.666666666666668" });

    expect(artifacts).toEqual([
      { kind: "file", path: "/workspace/data/weather.csv" },
      { kind: "file", path: "/workspace/data/weather.csv" },
      { kind: "figure", path: plot.figures[0]!.path },
    ]);
  });
});

describe("live output", () => {
  it("streams preliminary run_python output to the UI before the final result", async () => {
    const code = "import time\nfor i in range(4):\n    print('step', i, flush=True)\n    time.sleep(0.4)\n'done'";
    const model = scriptedModel([{ toolCalls: [{ name: "run_python", input: { code } }] }, { text: "finished" }]);
    const run = await runAgent({ model, sandbox, kernel, files: null, messages: [{ id: "u", role: "user", parts: [{ type: "text", text: "go" }] }] });
    const chunks: { type: string; preliminary?: boolean; output?: { text: string; running?: boolean } }[] = [];
    for await (const chunk of run.toUIMessageStream()) chunks.push(chunk as (typeof chunks)[number]);
    const outputs = chunks.filter((chunk) => chunk.type === "tool-output-available");
    const preliminary = outputs.filter((chunk) => chunk.preliminary);
    expect(preliminary.length).toBeGreaterThanOrEqual(1);
    expect(preliminary[0]?.output).toMatchObject({ running: true, text: expect.stringContaining("step 0") as unknown });
    expect(outputs.at(-1)).toMatchObject({ output: { text: expect.stringContaining("result:\n'done'") as unknown } });
    expect(outputs.at(-1)?.preliminary).toBeFalsy();
  });
});

describe("console toolset failures come back as text the model can act on", () => {
  const tools = () => createConsoleToolset({ sandbox, kernel }) as unknown as Record<string, AnyTool>;

  it("file tool errors", async () => {
    const t = tools();
    await call(t, "write_file", { path: "twice.txt", content: "a\na\n" });
    expect(await call(t, "edit_file", { path: "twice.txt", old_string: "a", new_string: "b" })).toMatchObject({
      ok: false,
      code: "edit_not_unique",
      text: expect.stringContaining("found 2 times") as unknown,
    });
    expect(await call(t, "edit_file", { path: "twice.txt", old_string: "zzz", new_string: "b" })).toMatchObject({ ok: false, code: "edit_not_found" });
    expect((await call(t, "edit_file", { path: "twice.txt", old_string: "a", new_string: "b", replace_all: true })).text).toContain("2 occurrences");
    expect(await call(t, "read_file", { path: "missing.txt" })).toMatchObject({ ok: false, code: "file_not_found", text: "Error: No such file: /workspace/missing.txt" });
    expect(await call(t, "read_file", { path: "/etc/passwd" })).toMatchObject({ ok: false, code: "path_outside_workspace" });
    expect(await call(t, "ls", { path: "../.." })).toMatchObject({ ok: false, code: "path_outside_workspace" });
    expect((await call(t, "glob", { pattern: "**/*.txt" })).text).toContain("/workspace/twice.txt");
    expect((await call(t, "grep", { pattern: "b", glob: "*.txt" })).text).toBe("/workspace/twice.txt:1: b\n/workspace/twice.txt:2: b");
    expect((await call(t, "ls", {})).text).toMatch(/^data\/\n/);
  });

  it("execute: exit codes, timeouts and files it created", async () => {
    const artifacts: Artifact[] = [];
    const t = createConsoleToolset({ sandbox, kernel, onArtifact: (a) => void artifacts.push(a) }) as unknown as Record<string, AnyTool>;
    expect((await call(t, "execute", { command: "echo hi; exit 3" })).text).toBe("hi\nexit code: 3");
    const slow = await call(t, "execute", { command: "sleep 30", timeout_seconds: 1 });
    expect(slow.text).toContain("[timed out after 1 s: the command and its children were killed]");
    // What the first command found may include the last test's edit (mtimes get 20 ms of slack); 1 s later, none.
    artifacts.length = 0;
    await call(t, "execute", { command: "mkdir -p reports && echo x > reports/r.txt && echo y > .hidden" });
    expect(artifacts).toEqual([{ kind: "file", path: "/workspace/reports/r.txt" }]);
  });

  it("run_python: exceptions with tracebacks and timeouts are text, not thrown", async () => {
    const t = tools();
    const failed = await call(t, "run_python", { code: "import pandas as pd\npd.read_csv('nope.csv')" });
    expect(failed.ok).toBe(true);
    expect(failed.text).toContain("error: FileNotFoundError");
    expect(failed.text).toContain("Traceback (most recent call last)");
    const slow = await call(t, "run_python", { code: "import time\ntime.sleep(30)", timeout_seconds: 1 });
    expect(slow.text).toContain("[timed out after 1 s: interrupted with KeyboardInterrupt; variables are kept]");
  });
});

describe("background job tools", () => {
  const tools = () => createConsoleToolset({ sandbox, kernel }) as unknown as Record<string, AnyTool>;

  it("start a command and a Python script, list them, read output from an offset, stop one", { timeout: 60_000 }, async () => {
    const t = tools();
    const started = await call(t, "start_job", { command: "for i in 1 2 3; do echo line $i; done; sleep 60" });
    expect(started).toMatchObject({ ok: true, jobRunning: true });
    const id = started.jobId as string;
    expect(started.text).toContain(`Started background job ${id}: for i in 1 2 3`);
    await call(t, "write_file", { path: "jobs/count.py", content: "import sys\nfor i in range(3):\n    print('step', i)\nsys.exit(2)\n" });
    const scriptId = (await call(t, "start_job", { python_script: "jobs/count.py" })).jobId as string;

    await expect.poll(async () => (await call(t, "list_jobs", {})).text, { timeout: 15_000 }).toContain(`job ${scriptId}: exited with code 2 after`);
    const list = (await call(t, "list_jobs", {})).text;
    expect(list).toMatch(new RegExp(`job ${id}: running for \\d+ s; stdout 21 B, stderr 0 B; for i in 1 2 3`));
    expect(list).toContain("python3 -u /workspace/jobs/count.py");
    // No offset: the tail, and the job has ended.
    expect((await call(t, "read_job_output", { job_id: scriptId })).text).toBe("step 0\nstep 1\nstep 2\n[stdout bytes 0–21 of 21; job ended]");
    // From an offset, with where to read next.
    expect((await call(t, "read_job_output", { job_id: id, offset: 7 })).text).toBe(
      "line 2\nline 3\n[stdout bytes 7–21 of 21; job still running; next time read from offset=21]",
    );
    expect((await call(t, "read_job_output", { job_id: id, offset: 21 })).text).toContain("(no new stdout output)");

    const stopped = await call(t, "stop_job", { job_id: id });
    expect(stopped.text).toMatch(new RegExp(`^Stopped\\. job ${id}: exited with code \\d+ after`));
    expect((await call(t, "list_jobs", {})).text).not.toMatch(new RegExp(`job ${id}: running`));
  });

  it("mistakes and a sandbox without the supervisor come back as text", { timeout: 120_000 }, async () => {
    const t = tools();
    expect(await call(t, "start_job", {})).toMatchObject({ ok: false, text: "Error: give exactly one of command or python_script." });
    expect(await call(t, "read_job_output", { job_id: "nope" })).toMatchObject({ ok: false, code: "job_not_found" });
    expect(await call(t, "start_job", { python_script: "../../etc/x.py" })).toMatchObject({ ok: false, code: "path_outside_workspace" });

    const plain = runtimeSandbox("python-datascience", label, { supervisor: false });
    try {
      const result = await call(createConsoleToolset({ sandbox: plain }), "start_job", { command: "sleep 1" });
      expect(result).toMatchObject({ ok: false, code: "jobs_unavailable", text: expect.stringContaining("Background jobs are not available in this sandbox") as unknown });
    } finally {
      await plain.stop();
    }
  });
});

describe("describeWorkspaceFiles", () => {
  it("summarises data files with pandas: columns, dtypes, rows, nulls, samples", async () => {
    await sandbox.write("files/sales.csv", "date,region,revenue\n2024-01-01,EU,12.5\n2024-01-02,,7\n2024-01-03,US,\n");
    await sandbox.write("files/people.json", JSON.stringify([{ name: "a", age: 3 }, { name: "b", age: null }]));
    await sandbox.write("files/config.json", JSON.stringify({ threshold: 1, labels: [] }));
    await sandbox.write("files/broken.parquet", "not parquet");
    await kernel.run("import pandas as pd\npd.DataFrame({'x': [1, 2]}).to_excel('files/book.xlsx', index=False)");
    const description = await describeWorkspaceFiles(sandbox);
    const byName = new Map(description.files.map((file) => [file.path.split("/").pop(), file]));
    expect(byName.get("sales.csv")).toMatchObject({
      rows: 3,
      columns: [
        { name: "date", dtype: "object", nulls: 0 },
        { name: "region", dtype: "object", nulls: 1 },
        { name: "revenue", dtype: "float64", nulls: 1 },
      ],
      sample: [["2024-01-01", "EU", "12.5"], ["2024-01-02", "nan", "7.0"], ["2024-01-03", "US", "nan"]],
    });
    expect(byName.get("people.json")).toMatchObject({ rows: 2, columns: [{ name: "name" }, { name: "age", nulls: 1 }] });
    expect(byName.get("config.json")).toMatchObject({ jsonKeys: ["threshold", "labels"] });
    expect(byName.get("book.xlsx")).toMatchObject({
      rows: 2,
      sheets: ["Sheet1"],
      columns: [{ name: "x", dtype: "int64" }],
      load: 'pd.read_excel("/workspace/files/book.xlsx")',
    });
    expect(byName.get("sales.csv")?.load).toBe('pd.read_csv("/workspace/files/sales.csv")');
    expect(byName.get("broken.parquet")?.error).toBeTruthy();
    // Generated figures are not listed as the user's files.
    expect(description.files.some((file) => file.path.includes("/figures/"))).toBe(false);
  });

  it("reads small CSVs without importing pandas, yet reports exactly what pandas reports", async () => {
    const tricky = [
      "id,score,flag,label,empty,mixed,when",
      '1,7,true,"a, quoted",,x,2024-01-01',
      "2,,false,NA,,2,2024-01-02",
      "3,1e3,TRUE,plain,,3.5,",
      "",
      "4,-2,False,null,,,2024-01-04",
    ].join("\n");
    await sandbox.write("files/tricky.csv", `${tricky}\n`);
    await sandbox.write("files/tabs.tsv", "a\tb\n1\t2.5\n3\t\n");
    const description = await describeWorkspaceFiles(sandbox);
    for (const name of ["tricky.csv", "tabs.tsv"]) {
      const summary = description.files.find((file) => file.path.endsWith(`/${name}`));
      const truth = await kernel.run(
        [
          "import pandas as pd, json",
          `df = pd.read_csv("files/${name}", sep=${name.endsWith(".tsv") ? '"\\t"' : '","'})`,
          "short = lambda v: ('' if v is None else str(v))[:40]",
          "print(json.dumps({'rows': len(df), 'columns': [{'name': c, 'dtype': str(df[c].dtype), 'nulls': int(df[c].isna().sum())} for c in df.columns],",
          "  'sample': [[short(v) for v in row] for row in df.head(3).itertuples(index=False, name=None)]}))",
        ].join("\n"),
      );
      expect(summary, name).toMatchObject(JSON.parse(truth.stdout) as object);
    }
  });

  it("falls back to the csv module without pandas and to a listing without Python", async () => {
    const minimalLabel = testLabel("agent-files-minimal");
    await ensureRuntimeImage("python-minimal");
    const minimal = runtimeSandbox("python-minimal", minimalLabel);
    const bare = runtimeSandbox("python-minimal", minimalLabel, { runtime: undefined, image: "tidepool/base:bookworm" });
    try {
      await minimal.write("a.csv", "x,y\n1,2\n3,4\n");
      const withoutPandas = await describeWorkspaceFiles(minimal);
      expect(withoutPandas.files[0]).toMatchObject({ path: "/workspace/a.csv", rows: 2, columns: [{ name: "x" }, { name: "y" }], sample: [["1", "2"], ["3", "4"]] });
      await bare.write("b.csv", "x\n1\n");
      const withoutPython = await describeWorkspaceFiles(bare);
      expect(withoutPython.files).toEqual([{ path: "/workspace/b.csv", size: 4, modifiedMs: expect.any(Number) as unknown }]);
    } finally {
      await Promise.all([minimal.stop(), bare.stop()]);
      await removeLabelled(minimalLabel);
    }
  });
});
