import { SquareTerminal } from "lucide-react";
import { formatBytes } from "../_lib/format";
import { type ExecutePart, stepStatus } from "./_lib/tool-parts";
import { CodeView } from "./code-view";
import { NoticeLine } from "./notice-line";
import { OutputView } from "./output-view";
import { ToolStepCard } from "./tool-step-card";

/** The output without the closing "exit code: N" line: the badge says it. */
function visibleOutput(text: string): string {
  // The notes for the model (cut, network hint) are shown as notices instead.
  return text.replace(/\n?exit code: -?\d+\s*$/, "").replace(/\n\[(output cut|The sandbox has no network)[^\n]*\]/g, "");
}

/** An execute step: the shell command, its output and exit code. */
export function ExecuteStep({ part, active }: { part: ExecutePart; active: boolean }) {
  const status = stepStatus(part, active);
  const command = part.input?.command;
  const output = part.state === "output-available" ? part.output : undefined;
  const result = output?.ok ? output : undefined;
  const live = status === "running";
  const exitLabel = result && !result.running && result.exitCode >= 0 ? `exit ${result.exitCode}` : undefined;

  const details = (
    <>
      {command ? <CodeView code={command} language="shell" label="Command" testId="tool-code" /> : null}
      {result ? <OutputView label="Output" text={visibleOutput(result.text) || (live ? "" : "(no output)")} live={live} testId="tool-stdout" /> : null}
      {result?.truncated && !live ? (
        <NoticeLine tone="warning" testId="tool-truncated">
          {result.keptBytes ? `The output was cut: showing the first ${formatBytes(result.keptBytes)}${result.totalBytes ? ` of ${formatBytes(result.totalBytes)}` : ""}, as much as one command keeps` : "The output was long and was cut"}; the agent saw the same cut.
        </NoticeLine>
      ) : null}
      {result?.hint ? <NoticeLine testId="tool-network-hint">{result.hint}</NoticeLine> : null}
      {output && !output.ok ? <OutputView label="The command didn't run" text={output.text} tone="error" testId="tool-error" /> : null}
      {part.state === "output-error" ? <OutputView label="The command didn't run" text={part.errorText} tone="error" testId="tool-error" /> : null}
    </>
  );

  return (
    <ToolStepCard
      tool="execute"
      icon={SquareTerminal}
      title={status === "preparing" ? "Writing a command" : live ? "Running" : "Ran"}
      hint={command ? `$ ${command.split("\n")[0]}` : undefined}
      status={status}
      statusLabel={status === "done" || status === "failed" ? exitLabel : undefined}
      durationMs={result?.running ? undefined : result?.durationMs}
      details={details}
    />
  );
}
