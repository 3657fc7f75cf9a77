"use client";

import { useEffect, useState } from "react";
import { Progress } from "../../../_components/ui/progress";
import { useSandbox } from "../../_lib/sandbox-context";

const SHOW_AFTER_MS = 700;

/** True once `active` has stayed true for `delayMs`, so quick starts don't flash a banner. */
function useDelayed(active: boolean, delayMs: number): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!active) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), delayMs);
    return () => clearTimeout(timer);
  }, [active, delayMs]);
  return active && shown;
}

/** A strip under the top bar while the sandbox starts: the runtime build's step n of m, then the container. */
export function StartProgress() {
  const { state, progress } = useSandbox();
  const building = progress?.phase === "building";
  const visible = useDelayed(state === "starting", SHOW_AFTER_MS) || building;
  if (!visible) return null;

  const percent =
    progress && progress.total > 0
      ? progress.phase === "starting"
        ? 98
        : Math.round((Math.max(0, progress.step - 1) / progress.total) * 100)
      : null;
  const title = building
    ? `Preparing the runtime (first start only) · step ${progress.step} of ${progress.total}`
    : "Starting your sandbox";
  return (
    <div
      className="flex shrink-0 flex-col gap-1.5 border-b border-sky-200 bg-sky-50 px-4 py-2.5 dark:border-sky-900 dark:bg-sky-950/50"
      data-testid="sandbox-progress"
      role="status"
    >
      <div className="flex items-baseline gap-3 text-sm">
        <span className="font-medium text-sky-900 dark:text-sky-100">{title}</span>
        {building && progress.title ? (
          <span className="truncate text-xs text-sky-700 dark:text-sky-300">{progress.title}</span>
        ) : null}
        <span className="ml-auto shrink-0 text-xs text-sky-700 dark:text-sky-300">
          Your files are safe while it starts.
        </span>
      </div>
      <Progress value={percent} label="Sandbox start progress" className="h-1.5 bg-sky-100 dark:bg-sky-900/60" />
      {building && progress.lastLine ? (
        <p className="truncate font-mono text-[11px] text-sky-800/70 dark:text-sky-300/70">{progress.lastLine}</p>
      ) : null}
    </div>
  );
}
