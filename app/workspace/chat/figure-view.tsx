"use client";

import { BarChart3, Download, Eye, Image as ImageIcon, ImageOff, Maximize2 } from "lucide-react";
import { useContext, useMemo, useState } from "react";
import type { FigureSummary } from "~/server/sandbox";
import { cn } from "../../_lib/cn";
import { Button } from "../../_components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "../../_components/ui/dialog";
import { baseName, displayPath, downloadUrl } from "../_lib/paths";
import { WorkspaceNavContext } from "../_lib/workspace-nav";
import { chartModel } from "./_lib/chart-model";
import { FigureOriginContext, keptFigureUrl } from "./_lib/figure-origin";
import { ChartView } from "./chart-view";

/**
 * A chart the agent made: drawn again from its data (hover values, legend
 * toggles) when its summary holds all of it, with the original PNG one click
 * away; otherwise the PNG.
 */
export function FigureView({ path, summary }: { path: string; summary?: FigureSummary }) {
  const model = useMemo(() => chartModel(summary), [summary]);
  const [showImage, setShowImage] = useState(false);
  if (!model) return <FigureImage path={path} />;
  const mode = (image: boolean) =>
    cn(
      "inline-flex h-7 items-center gap-1 rounded-md px-2 text-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500",
      showImage === image ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
    );
  return (
    <div className="flex w-full min-w-0 flex-col gap-2 rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-950" data-testid="figure-card">
      <div className="flex justify-end gap-1" role="group" aria-label="How to show the chart">
        <button type="button" className={mode(false)} aria-pressed={!showImage} onClick={() => setShowImage(false)} data-testid="figure-show-chart">
          <BarChart3 className="size-3.5" aria-hidden /> Interactive
        </button>
        <button type="button" className={mode(true)} aria-pressed={showImage} onClick={() => setShowImage(true)} data-testid="figure-show-image">
          <ImageIcon className="size-3.5" aria-hidden /> Original image
        </button>
      </div>
      {showImage ? <FigureImage path={path} /> : <ChartView model={model} name={baseName(path)} />}
    </div>
  );
}

/** The PNG inline; click to enlarge, with download and show-in-Preview. */
function FigureImage({ path }: { path: string }) {
  const nav = useContext(WorkspaceNavContext);
  const origin = useContext(FigureOriginContext);
  // The copy kept with the message first; the workspace file only for old messages without one.
  const sources = useMemo(() => {
    const workspace = downloadUrl(path, { inline: true });
    return origin?.messageId
      ? [keptFigureUrl({ chatId: origin.chatId, messageId: origin.messageId }, path), workspace]
      : [workspace];
  }, [origin, path]);
  const [attempt, setAttempt] = useState(0);
  const src = sources[attempt];
  const name = baseName(path);
  if (src === undefined) {
    return (
      <div
        className="flex h-32 items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 px-4 text-sm text-slate-500 dark:border-slate-700"
        data-testid="tool-figure-missing"
      >
        <ImageOff className="size-4" aria-hidden /> {displayPath(path)} is no longer in the workspace.
      </div>
    );
  }
  return (
    <Dialog>
      <DialogTrigger asChild>
        <button
          type="button"
          className="group/figure relative block w-fit max-w-full overflow-hidden rounded-lg border border-slate-200 bg-white focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-slate-800"
          aria-label={`Enlarge chart ${name}`}
        >
          <img
            src={src}
            alt={`Chart ${name}`}
            className="block max-h-[420px] w-auto max-w-full object-contain"
            loading="lazy"
            onError={() => setAttempt((current) => current + 1)}
            data-testid="tool-figure"
          />
          <span className="absolute right-2 top-2 rounded-md bg-slate-900/70 p-1 text-white opacity-0 transition group-hover/figure:opacity-100 group-focus-visible/figure:opacity-100">
            <Maximize2 className="size-3.5" aria-hidden />
          </span>
        </button>
      </DialogTrigger>
      <DialogContent title={name} description={displayPath(path)} className="max-w-5xl" data-testid="figure-dialog">
        <img
          src={src}
          alt={`Chart ${name}`}
          className="mx-auto max-h-[70vh] w-auto max-w-full rounded-md bg-white object-contain"
        />
        <div className="mt-4 flex justify-end gap-2">
          {nav ? (
            <DialogClose asChild>
              <Button variant="secondary" size="sm" onClick={() => nav.openFile(path)} data-testid="figure-preview">
                <Eye aria-hidden /> Show in Preview
              </Button>
            </DialogClose>
          ) : null}
          <Button size="sm" asChild>
            <a href={src} download={name} data-testid="figure-download">
              <Download aria-hidden /> Download PNG
            </a>
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
