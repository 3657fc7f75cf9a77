"use client";

import { useQueryClient } from "@tanstack/react-query";
import { FolderPlus, FolderUp, PackageOpen, RefreshCw, ShieldCheck, Upload } from "lucide-react";
import { useCallback, useMemo, useRef, useState } from "react";
import { ConfirmDialog } from "../../../_components/ui/alert-dialog";
import { Button } from "../../../_components/ui/button";
import { Tooltip } from "../../../_components/ui/tooltip";
import { useTRPC } from "../../../_trpc/client";
import { downloadUrl, joinPath, parentOf, WORKSPACE_ROOT } from "../../_lib/paths";
import { useSandbox } from "../../_lib/sandbox-context";
import type { FileEntry } from "../../_lib/types";
import { useFileActions } from "../../_lib/use-file-actions";
import { pickedFolder } from "../../_lib/dropped-folders";
import type { TarItem } from "../../_lib/tar-blob";
import { useFileDrop } from "../../_lib/use-file-drop";
import { useUploads } from "../../_lib/use-uploads";
import { DeleteDescription } from "./delete-description";
import { DiskUsage } from "./disk-usage";
import { FileTree } from "./file-tree";
import { NewFolderDialog } from "./new-folder-dialog";
import { FileTreeContext, type FileTreeContextValue } from "./tree-context";
import { UploadList } from "./upload-list";
import { refetchAfterChange } from "../../../_lib/refetch-after-change";

type FilePanelProps = {
  selectedPath: string | null;
  onOpenFile: (entry: FileEntry) => void;
  /** A file or folder was renamed or deleted (to: null), so the preview can follow. */
  onPathChanged: (from: string, to: string | null) => void;
  uploadMaxBytes: number;
};

function triggerDownload(path: string, format?: "zip") {
  const link = document.createElement("a");
  link.href = format ? `${downloadUrl(path)}&format=${format}` : downloadUrl(path);
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

/** The left panel: the workspace's file tree with upload, new folder, rename, delete and download. */
export function FilePanel({ selectedPath, onOpenFile, onPathChanged, uploadMaxBytes }: FilePanelProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sandbox = useSandbox();
  const actions = useFileActions();
  const [expanded, setExpandedSet] = useState<ReadonlySet<string>>(() => new Set());
  const [focusPath, setFocusPath] = useState<string | null>(null);
  const [renamingPath, setRenamingPath] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<FileEntry | null>(null);
  const [newFolderIn, setNewFolderIn] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const uploadDir = useRef(WORKSPACE_ROOT);

  const setExpanded = useCallback((path: string, open: boolean) => {
    setExpandedSet((current) => {
      if (current.has(path) === open) return current;
      const next = new Set(current);
      if (open) next.add(path);
      else next.delete(path);
      return next;
    });
  }, []);

  const onUploaded = useCallback(
    () => void refetchAfterChange(queryClient, trpc.files.pathFilter()),
    [queryClient, trpc],
  );
  const { uploads, upload, uploadFolder, cancel } = useUploads({ maxBytes: uploadMaxBytes, onUploaded });
  const uploadInto = useCallback(
    (files: File[], dir: string) => {
      if (dir !== WORKSPACE_ROOT) setExpanded(dir, true);
      upload(files, dir);
    },
    [upload, setExpanded],
  );
  const uploadFolderInto = useCallback(
    (items: TarItem[], dir: string, name: string) => {
      if (dir !== WORKSPACE_ROOT) setExpanded(dir, true);
      uploadFolder(items, dir, name);
    },
    [uploadFolder, setExpanded],
  );
  const { dropTarget, dropHandlers } = useFileDrop(uploadInto, uploadFolderInto);

  const requestUpload = useCallback((dir: string) => {
    uploadDir.current = dir;
    fileInput.current?.click();
  }, []);

  const context = useMemo<FileTreeContextValue>(
    () => ({
      enabled: sandbox.filesReady,
      expanded,
      setExpanded,
      selectedPath,
      focusPath,
      setFocusPath,
      renamingPath,
      setRenamingPath,
      dropTarget,
      dropHandlers,
      openFile: onOpenFile,
      rename: (entry, name) => {
        const to = joinPath(parentOf(entry.path), name);
        return actions.move(entry.path, to, () => {
          onPathChanged(entry.path, to);
          setFocusPath(to);
        });
      },
      requestDelete: setDeleting,
      requestNewFolder: setNewFolderIn,
      requestUpload,
      download: (entry) => triggerDownload(entry.path),
      downloadZip: (entry) => triggerDownload(entry.path, "zip"),
    }),
    [
      sandbox.filesReady,
      expanded,
      setExpanded,
      selectedPath,
      focusPath,
      renamingPath,
      dropTarget,
      dropHandlers,
      onOpenFile,
      actions,
      onPathChanged,
      requestUpload,
    ],
  );

  return (
    <FileTreeContext.Provider value={context}>
      <section aria-labelledby="files-heading" className="flex min-h-0 flex-1 flex-col" data-testid="file-panel">
        <header className="flex h-11 shrink-0 items-center gap-1 border-b border-slate-200 pl-4 pr-2 dark:border-slate-800">
          <h2 id="files-heading" className="flex-1 text-sm font-semibold">
            Files
          </h2>
          <Tooltip content="New folder">
            <Button
              variant="ghost"
              size="icon"
              aria-label="New folder"
              onClick={() => setNewFolderIn(WORKSPACE_ROOT)}
              data-testid="new-folder"
            >
              <FolderPlus aria-hidden />
            </Button>
          </Tooltip>
          <Tooltip content="Refresh">
            <Button
              variant="ghost"
              size="icon"
              aria-label="Refresh files"
              onClick={() => void actions.refresh()}
              data-testid="files-refresh"
            >
              <RefreshCw aria-hidden />
            </Button>
          </Tooltip>
          <Tooltip content="Download workspace as .zip">
            <Button
              variant="ghost"
              size="icon"
              aria-label="Download workspace"
              onClick={() => triggerDownload(WORKSPACE_ROOT, "zip")}
              data-testid="download-workspace"
            >
              <PackageOpen aria-hidden />
            </Button>
          </Tooltip>
          {/* The browser's folder picker hands over files only; a dropped folder brings its empty folders too. */}
          <Tooltip content="Upload folder (drop it here to keep empty folders)">
            <Button
              variant="ghost"
              size="icon"
              aria-label="Upload folder"
              onClick={() => folderInput.current?.click()}
              data-testid="upload-folder-button"
            >
              <FolderUp aria-hidden />
            </Button>
          </Tooltip>
          <Button size="sm" className="ml-1" onClick={() => requestUpload(WORKSPACE_ROOT)} data-testid="upload-button">
            <Upload aria-hidden />
            Upload
          </Button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="upload-input"
            aria-label="Choose files to upload"
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = "";
              if (files.length > 0) uploadInto(files, uploadDir.current);
              uploadDir.current = WORKSPACE_ROOT;
            }}
          />
          <input
            ref={folderInput}
            type="file"
            hidden
            data-testid="upload-folder-input"
            aria-label="Choose a folder to upload"
            // React has no typed prop for it; the attribute is what browsers read.
            {...{ webkitdirectory: "" }}
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = "";
              if (files.length === 0) return;
              const folder = pickedFolder(files);
              uploadFolderInto(folder.items, WORKSPACE_ROOT, folder.name);
            }}
          />
        </header>
        <div className="min-h-0 flex-1 overflow-y-auto" {...dropHandlers(WORKSPACE_ROOT)}>
          <FileTree className="min-h-full" />
        </div>
        <UploadList uploads={uploads} onCancel={cancel} />
        <footer className="shrink-0 border-t border-slate-200 dark:border-slate-800">
          <DiskUsage />
          <p className="flex items-center gap-1.5 px-4 py-2.5 text-xs text-slate-500 dark:text-slate-400">
            <ShieldCheck className="size-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
            Files here are kept between sessions. Drop files or folders onto a folder to upload.
          </p>
        </footer>
      </section>

      <NewFolderDialog
        parent={newFolderIn}
        onClose={() => setNewFolderIn(null)}
        onCreate={async (path) => {
          const ok = await actions.mkdir(path);
          if (ok && parentOf(path) !== WORKSPACE_ROOT) setExpanded(parentOf(path), true);
          return ok;
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={deleting?.isDir ? `Delete the folder “${deleting.name}”?` : `Delete “${deleting?.name ?? ""}”?`}
        description={deleting ? <DeleteDescription entry={deleting} /> : null}
        confirmLabel="Delete"
        testId="delete-dialog"
        onConfirm={() => {
          const target = deleting;
          if (!target) return;
          void actions.remove(target.path, () => onPathChanged(target.path, null));
        }}
      />
    </FileTreeContext.Provider>
  );
}
