import { Layers } from "lucide-react";
import { stepStatus, type ToolPart, toolNameOf } from "./_lib/tool-parts";
import { OutputView } from "./output-view";
import { ToolStepCard } from "./tool-step-card";

const TITLES: Record<string, { done: string; doing: string }> = {
  start_job: { done: "Started a background job", doing: "Starting a background job" },
  list_jobs: { done: "Checked background jobs", doing: "Checking background jobs" },
  read_job_output: { done: "Read a job's output", doing: "Reading a job's output" },
  stop_job: { done: "Stopped a background job", doing: "Stopping a background job" },
};

export const JOB_TOOLS = new Set(Object.keys(TITLES));

/** start_job, list_jobs, read_job_output, stop_job: what was done, the command or job, and the answer when opened. */
export function JobToolStep({ part, active }: { part: ToolPart; active: boolean }) {
  const name = toolNameOf(part);
  const status = stepStatus(part, active);
  const input = (part.input ?? {}) as { command?: string; python_script?: string; job_id?: string };
  const output = part.state === "output-available" ? (part.output as { ok: boolean; text: string }) : undefined;
  const title = TITLES[name] ?? { done: name, doing: name };
  const finished = status !== "preparing" && status !== "running";
  return (
    <ToolStepCard
      tool={name}
      icon={Layers}
      title={finished ? title.done : title.doing}
      hint={input.command ?? input.python_script ?? (input.job_id ? `job ${input.job_id}` : undefined)}
      status={status}
      details={
        <>
          {output ? (
            <OutputView
              label={output.ok ? "Result" : "The step failed"}
              text={output.text}
              tone={output.ok ? "plain" : "error"}
              testId="tool-stdout"
            />
          ) : null}
          {part.state === "output-error" ? (
            <OutputView label="The step failed" text={part.errorText} tone="error" testId="tool-error" />
          ) : null}
        </>
      }
    />
  );
}
