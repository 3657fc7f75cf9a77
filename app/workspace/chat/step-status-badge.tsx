import { CircleAlert, CircleCheck, CircleStop, LoaderCircle, Timer } from "lucide-react";
import { Badge } from "../../_components/ui/badge";
import type { StepStatus } from "./_lib/tool-parts";

const LABELS: Record<StepStatus, string> = {
  preparing: "Writing",
  running: "Running",
  done: "Done",
  failed: "Error",
  stopped: "Stopped",
  "timed-out": "Timed out",
};

/** Where a step stands, in words and colour. `label` overrides the word (e.g. "exit 1"). */
export function StepStatusBadge({ status, label }: { status: StepStatus; label?: string }) {
  const text = label ?? LABELS[status];
  if (status === "preparing" || status === "running") {
    return (
      <Badge tone="info" data-testid="tool-step-status">
        <LoaderCircle className="animate-spin" aria-hidden /> {text}
      </Badge>
    );
  }
  if (status === "done") {
    return (
      <Badge tone="success" data-testid="tool-step-status">
        <CircleCheck aria-hidden /> {text}
      </Badge>
    );
  }
  if (status === "failed") {
    return (
      <Badge tone="danger" data-testid="tool-step-status">
        <CircleAlert aria-hidden /> {text}
      </Badge>
    );
  }
  return (
    <Badge tone="warning" data-testid="tool-step-status">
      {status === "stopped" ? <CircleStop aria-hidden /> : <Timer aria-hidden />} {text}
    </Badge>
  );
}
