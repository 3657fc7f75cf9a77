import { renderRuntimePrompt, type RuntimeConfig } from "~/server/sandbox";
import { formatBytes } from "./tool-output";
import type { WorkspaceDescription, WorkspaceFileSummary } from "./workspace-files";

// The agent's instructions: a data-analyst persona, how to use the tools, the
// runtime section (the runtime module's renderer), the persistence contract,
// and the user's files with what is inside the data files. Capped in size.

export type SystemPromptInput = {
  /** The sandbox's runtime; omitted → a generic environment line. */
  runtime?: RuntimeConfig | null;
  /** From describeWorkspaceFiles(). */
  files?: WorkspaceDescription | null;
  /** The kernel lost its variables since earlier turns used them (sandbox slept, kernel died). */
  kernelReset?: boolean;
  /** Extra instructions from the admin settings, appended last. */
  extraInstructions?: string;
  workDir?: string;
  /** Characters the files section may use. Default 8 000. */
  maxFilesChars?: number;
};

const PERSONA = `You are Tidepool, a careful data analyst working in the user's own sandbox (a Linux container).
You answer questions about the user's data by writing and running code, then explain the results in plain language.

How to work:
- Look before you assume: check file names, columns and types before analysing.
- Load a data file with the "load with" call listed for it below: it carries the delimiter, encoding, comment character and rows to skip that the file needs.
- Use run_python for analysis: it is a persistent kernel, like a notebook, so load data once into a variable and build on it in later calls. Print summaries (df.head(), df.describe(), value counts) rather than whole tables.
- Plots: use matplotlib or seaborn; open figures are saved under /workspace/figures and shown to the user automatically after each run_python call. Give every plot a title and axis labels.
- Use execute for shell commands, and the file tools (ls, read_file, write_file, edit_file, glob, grep) for files.
- Long work (training a model, long loops, processing many files: anything that may take more than a few minutes) runs as a background job: start_job with a shell command or a .py script that saves its results to files, tell the user it is running, and check it with list_jobs and read_job_output rather than waiting in execute. Jobs keep running when the user leaves and end when the sandbox stops.
- When code fails, read the traceback, fix the cause and retry; do not repeat the same failing call.
- Save results the user may want to download (cleaned data, reports) as files under /workspace and mention their paths.
- Keep answers concise: lead with the finding, then the key numbers, then caveats.`;

export function buildSystemPrompt(input: SystemPromptInput = {}): string {
  const workDir = input.workDir ?? input.runtime?.workDir ?? "/workspace";
  const sections = [PERSONA];
  sections.push(input.runtime ? renderRuntimePrompt(input.runtime) : `## Runtime Environment\n\n**Working directory:** ${workDir}`);
  sections.push(persistenceSection(workDir, input.kernelReset ?? false));
  sections.push(filesSection(workDir, input.files ?? null, input.maxFilesChars ?? 8_000));
  if (input.extraInstructions?.trim()) sections.push(`## Additional instructions\n\n${input.extraInstructions.trim()}`);
  return sections.join("\n\n");
}

function persistenceSection(workDir: string, kernelReset: boolean): string {
  const lines = [
    "## What persists",
    "",
    `- Files under ${workDir} persist: across messages, logouts, and sandbox restarts.`,
    "- Python variables, running processes and anything outside it do not survive a sandbox stop (the sandbox sleeps when idle). If a run_python result says the kernel was restarted, reload the data from files.",
  ];
  if (kernelReset) {
    lines.push(
      "",
      "**Note:** the sandbox was asleep or the kernel restarted since the earlier messages: the Python variables from those messages are gone (files are intact). Reload any data you need before using it.",
    );
  }
  return lines.join("\n");
}

function filesSection(workDir: string, files: WorkspaceDescription | null, maxChars: number): string {
  const header = `## Files in ${workDir}`;
  if (!files || files.files.length === 0) return `${header}\n\nNo files yet. The user can upload files; ask for data if you need it.`;
  const blocks: string[] = [];
  let used = 0;
  let omitted = 0;
  for (const file of files.files) {
    const block = describeFile(file);
    if (used + block.length > maxChars) {
      omitted++;
      continue;
    }
    blocks.push(block);
    used += block.length + 1;
  }
  const more = files.totalFiles - files.files.length + omitted;
  if (more > 0) blocks.push(`- … and ${more} more file${more === 1 ? "" : "s"} (use ls or glob to see them)`);
  return `${header} (newest first)\n\n${blocks.join("\n")}`;
}

function describeFile(file: WorkspaceFileSummary): string {
  const facts = [formatBytes(file.size)];
  if (file.rows !== undefined) facts.push(`${file.rowsApproximate ? "~" : ""}${file.rows.toLocaleString("en-US")} rows`);
  if (file.columns) facts.push(`${file.columns.length} columns`);
  if (file.rows === undefined && file.lines !== undefined) facts.push(`${file.lines.toLocaleString("en-US")} lines`);
  if (file.empty) return `- ${file.path} (${formatBytes(file.size)}, empty: no header and no rows, nothing to load)`;
  if (file.rows === 0 && file.columns?.length) facts.push("header only, no data rows");
  const lines = [`- ${file.path} (${facts.join(", ")})`];
  if (file.load) lines.push(`  load with: ${file.load}`);
  if (file.sheets && file.sheets.length > 1) lines.push(`  sheets: ${file.sheets.join(", ")} (${file.sheet ?? file.sheets[0]} described)`);
  if (file.columns?.length) {
    const columns = file.columns.map((column) => {
      const details = [column.dtype, column.nulls ? `${column.nulls} nulls` : undefined].filter(Boolean).join(", ");
      return details ? `${column.name} (${details})` : column.name;
    });
    lines.push(`  columns: ${columns.join("; ")}`);
  }
  if (file.sample?.length) {
    lines.push("  sample rows:");
    for (const row of file.sample) lines.push(`    ${row.map((cell) => cell.replace(/[\r\n|]+/g, " ")).join(" | ")}`);
  }
  if (file.jsonKeys?.length) lines.push(`  top-level keys: ${file.jsonKeys.join(", ")}`);
  if (file.error) lines.push(`  (could not read details: ${file.error})`);
  return lines.join("\n");
}
