import { Wrench } from "lucide-react";
import { type ExecutePart, type FileToolPart, type RunPythonPart, stepStatus, type ToolPart, toolNameOf } from "./_lib/tool-parts";
import { ExecuteStep } from "./execute-step";
import { FileToolStep } from "./file-tool-step";
import { JOB_TOOLS, JobToolStep } from "./job-tool-step";
import { RunPythonStep } from "./run-python-step";
import { ToolStepCard } from "./tool-step-card";

const FILE_TOOLS = new Set(["ls", "read_file", "write_file", "edit_file", "glob", "grep"]);

/** One tool call of the agent, drawn by its tool. `active`: its turn is still streaming. */
export function ToolStep({ part, active }: { part: ToolPart; active: boolean }) {
  const name = toolNameOf(part);
  if (name === "run_python") return <RunPythonStep part={part as RunPythonPart} active={active} />;
  if (name === "execute") return <ExecuteStep part={part as ExecutePart} active={active} />;
  if (FILE_TOOLS.has(name)) return <FileToolStep part={part as FileToolPart} active={active} />;
  if (JOB_TOOLS.has(name)) return <JobToolStep part={part} active={active} />;
  // A tool this page doesn't know yet (an older or newer server): name and status only.
  return <ToolStepCard tool={name} icon={Wrench} title={name} status={stepStatus(part, active)} />;
}
