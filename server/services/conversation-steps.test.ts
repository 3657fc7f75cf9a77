import type { UIMessage } from "ai";
import { describe, expect, it } from "vitest";
import { conversationSteps, dataFilesOf } from "./conversation-steps";
import { buildNotebook } from "./notebook-export";
import { buildScript } from "./script-export";

// The exports replay what changed the sandbox, in order: Python, shell
// commands and file writes; looking around (read_file, ls) is left out.

const messages = [
  { id: "u1", role: "user", parts: [{ type: "text", text: "Clean sales.csv" }] },
  {
    id: "a1",
    role: "assistant",
    parts: [
      {
        type: "tool-read_file",
        state: "output-available",
        input: { path: "/workspace/sales.csv" },
        output: { ok: true, text: "" },
      },
      {
        type: "tool-execute",
        state: "output-available",
        input: { command: "head -n 3 raw/extra.tsv" },
        output: { ok: true, text: "" },
      },
      {
        type: "tool-write_file",
        state: "output-available",
        input: { path: "/workspace/clean.py", content: "print('hi')\n" },
        output: { ok: true, text: "", path: "/workspace/clean.py" },
      },
      {
        type: "tool-edit_file",
        state: "output-available",
        input: { path: "/workspace/clean.py", old_string: "hi", new_string: "ho" },
        output: { ok: true, text: "" },
      },
      { type: "tool-run_python", state: "input-streaming", input: { code: "never ran" } },
      { type: "text", text: "Done." },
    ],
  },
] as unknown as UIMessage[];

describe("conversation exports", () => {
  const steps = conversationSteps(messages);

  it("keeps the steps that change the sandbox, in order, and the files it read but did not write", () => {
    expect(steps.map((step) => step.type)).toEqual(["text", "shell", "write", "edit", "text"]);
    expect(dataFilesOf(messages, steps)).toEqual(["/workspace/sales.csv", "raw/extra.tsv"]);
  });

  it("writes file steps as Python that runs in a notebook and a script alike", () => {
    const script = buildScript({ title: "Clean", steps, dataFiles: ["/workspace/sales.csv"] });
    expect(script).toContain("# Data files it reads:\n#   /workspace/sales.csv");
    expect(script).toContain('subprocess.run("head -n 3 raw/extra.tsv", shell=True, check=True)');
    expect(script).toContain('Path("/workspace/clean.py").write_text("print(\'hi\')\\n")');
    expect(script).toContain('_path.read_text().replace("hi", "ho", 1)');
    const notebook = JSON.parse(buildNotebook({ title: "Clean", steps, dataFiles: [], figureImage: () => null })) as {
      cells: { cell_type: string; source: string[] }[];
    };
    expect(notebook.cells.map((cell) => cell.cell_type)).toEqual([
      "markdown",
      "markdown",
      "code",
      "code",
      "code",
      "markdown",
    ]);
    expect(notebook.cells[2]?.source.join("")).toBe("%%bash\nhead -n 3 raw/extra.tsv");
  });
});
