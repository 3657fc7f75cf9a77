"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { LoadOverrides } from "~/server/ingest/load-plan";
import { Download, Eye, FileX, RefreshCw } from "lucide-react";
import { toast } from "../../../_components/toaster";
import { Button } from "../../../_components/ui/button";
import { Skeleton } from "../../../_components/ui/skeleton";
import { useTRPC } from "../../../_trpc/client";
import { fileKind } from "../../_lib/file-kind";
import { formatBytes, formatDateTime } from "../../_lib/format";
import { baseName, displayPath, downloadUrl, parentOf } from "../../_lib/paths";
import { useSandbox } from "../../_lib/sandbox-context";
import type { FileEntry, FilePreview } from "../../_lib/types";
import { FileIcon } from "../files/file-icon";
import { BinaryPreview } from "./binary-preview";
import { ImagePreview } from "./image-preview";
import { LoadControls } from "./load-controls";
import { PandasCall } from "./pandas-call";
import { SheetPicker } from "./sheet-picker";
import { TablePreview } from "./table-preview";
import { TextPreview } from "./text-preview";

/**
 * The selected file: a header with its details and download, then the preview that suits it.
 * Its size and time come from the folder listing the tree shares, so they follow uploads and edits.
 */
export function PreviewPanel({ path }: { path: string | null }) {
  const trpc = useTRPC();
  const { filesReady } = useSandbox();
  const listing = useQuery(
    trpc.files.list.queryOptions({ path: parentOf(path ?? "/workspace") }, { enabled: filesReady && path !== null }),
  );
  if (!path) return <NothingSelected />;
  const file = listing.data?.entries.find((entry) => entry.path === path);
  if (!file) return listing.data ? <Gone path={path} /> : <PreviewSkeleton />;
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="preview-panel" data-path={file.path}>
      <header className="flex shrink-0 items-center gap-3 border-b border-slate-200 px-4 py-2.5 dark:border-slate-800">
        <FileIcon kind={fileKind(file.name, false)} className="size-5" />
        <div className="min-w-0 flex-1">
          <h2 className="truncate text-sm font-semibold" data-testid="preview-title">
            {file.name}
          </h2>
          <p className="truncate text-xs text-slate-500 dark:text-slate-400">
            {displayPath(file.path)} · {formatBytes(file.size)} · modified {formatDateTime(file.modifiedMs)}
          </p>
        </div>
        <Button asChild variant="secondary" size="sm">
          <a href={downloadUrl(file.path)} download data-testid="preview-download">
            <Download aria-hidden />
            Download
          </a>
        </Button>
      </header>
      <PreviewBody key={file.path} file={file} />
    </div>
  );
}

/**
 * Keyed by path: the user's read overrides belong to one file. Until the user changes
 * something, the server reads the file as they last chose (or as detected); each change
 * is also remembered there, so the agent's loading hint reads the file the same way.
 */
function PreviewBody({ file }: { file: FileEntry }) {
  const trpc = useTRPC();
  const { filesReady } = useSandbox();
  // null: not changed here yet (the server applies what was remembered).
  const [overrides, setOverrides] = useState<LoadOverrides | null>(null);
  const [sheet, setSheet] = useState<string | undefined>(undefined);
  const preview = useQuery(
    trpc.files.preview.queryOptions(
      {
        path: file.path,
        size: file.size,
        modifiedMs: file.modifiedMs,
        ...(overrides === null ? {} : { overrides }),
        ...(sheet === undefined ? {} : { sheet }),
      },
      // The old table stays while a changed read loads, so the controls keep their place.
      { enabled: filesReady, staleTime: 30_000, placeholderData: keepPreviousData },
    ),
  );
  const remember = useMutation(
    trpc.files.rememberRead.mutationOptions({
      onError: (error) => toast.error("The agent won't read this file your way", error.message),
    }),
  );
  const version = { path: file.path, size: file.size, modifiedMs: file.modifiedMs };

  if (preview.isError) {
    return (
      <div
        className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center"
        data-testid="preview-error"
      >
        <p className="text-sm font-medium">This file couldn&apos;t be previewed</p>
        <p className="max-w-md text-sm text-slate-500 dark:text-slate-400">{preview.error.message}</p>
        <Button variant="secondary" size="sm" onClick={() => void preview.refetch()}>
          <RefreshCw aria-hidden /> Try again
        </Button>
      </div>
    );
  }
  if (!preview.data) return <PreviewSkeleton />;
  if (preview.data.kind === "table") {
    const table = preview.data;
    return (
      <div className="flex min-h-0 flex-1 flex-col" aria-busy={preview.isPlaceholderData}>
        <LoadControls
          plan={table.plan}
          detected={table.detected}
          overrides={overrides ?? table.overrides}
          onChange={(change) => {
            const next = change === null ? {} : { ...(overrides ?? table.overrides), ...change };
            setOverrides(next);
            remember.mutate({ ...version, overrides: next });
          }}
        />
        <PreviewContent preview={table} file={file} />
        {table.table.shape === "empty" ? null : <PandasCall code={table.pandas} />}
      </div>
    );
  }
  if (preview.data.kind === "sheet") {
    const workbook = preview.data;
    return (
      <div className="flex min-h-0 flex-1 flex-col" aria-busy={preview.isPlaceholderData}>
        <SheetPicker
          sheets={workbook.sheets}
          sheet={workbook.sheet}
          onChange={(picked) => {
            setSheet(picked);
            remember.mutate({ ...version, sheet: picked });
          }}
        />
        <PreviewContent preview={workbook} file={file} />
        {workbook.pandas === null ? (
          <p
            className="shrink-0 border-t border-slate-200 px-4 py-1.5 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400"
            data-testid="preview-xls-note"
          >
            pandas can&apos;t read .xls files in this sandbox: it needs xlrd 2.0.1 or newer. Save the workbook as
            .xlsx (or the sheet as CSV) to load it in Python or ask the agent about it.
          </p>
        ) : workbook.table.shape === "empty" ? null : (
          <PandasCall code={workbook.pandas} />
        )}
      </div>
    );
  }
  return <PreviewContent preview={preview.data} file={file} />;
}

function PreviewContent({ preview, file }: { preview: FilePreview; file: FileEntry }) {
  switch (preview.kind) {
    case "table":
    case "sheet":
      return (
        <TablePreview
          columns={preview.table.columns}
          rows={preview.table.rows}
          shape={preview.table.shape}
          rowsRead={preview.table.rowsRead}
          headOnly={preview.kind === "table" && preview.headOnly}
        />
      );
    case "image":
      return <ImagePreview path={preview.path} name={file.name} version={file.modifiedMs} />;
    case "pdf":
      return (
        <TextPreview
          text={preview.text}
          note="Text extracted from the PDF. Download it to see the layout and images."
          testId="preview-pdf"
        />
      );
    case "text":
      return (
        <TextPreview
          text={preview.text}
          note={preview.encoding.toLowerCase() === "utf-8" ? undefined : `Decoded as ${preview.encoding}`}
        />
      );
    case "binary":
      return <BinaryPreview path={preview.path} name={file.name} size={preview.size} />;
  }
}

function PreviewSkeleton() {
  return (
    <div className="flex flex-col gap-3 p-4" aria-busy aria-label="Loading preview" data-testid="preview-loading">
      <Skeleton className="h-8 w-full" />
      {Array.from({ length: 8 }, (_item, index) => (
        <Skeleton key={index} className="h-5 w-full opacity-70" />
      ))}
    </div>
  );
}

function Gone({ path }: { path: string }) {
  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center" data-testid="preview-gone">
      <FileX className="size-8 text-slate-400" aria-hidden />
      <p className="font-medium">
        {baseName(path)} is no longer in {displayPath(parentOf(path))}
      </p>
      <p className="max-w-sm text-sm text-slate-500 dark:text-slate-400">
        It was moved or deleted. Pick another file in the tree.
      </p>
    </div>
  );
}

function NothingSelected() {
  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center" data-testid="preview-empty">
      <div className="grid size-14 place-items-center rounded-2xl bg-sky-50 dark:bg-sky-950/60">
        <Eye className="size-7 text-sky-600 dark:text-sky-400" aria-hidden />
      </div>
      <p className="font-medium">Select a file to preview it</p>
      <p className="max-w-sm text-sm text-slate-500 dark:text-slate-400">
        Tables open as a spreadsheet, images inline, code and text with line numbers, PDFs as text.
      </p>
    </div>
  );
}
