import {
  BookOpen,
  File,
  FileArchive,
  FileCode,
  FileImage,
  FileSpreadsheet,
  FileText,
  Folder,
  FolderOpen,
} from "lucide-react";
import { cn } from "../../../_lib/cn";
import type { FileKind } from "../../_lib/file-kind";

const ICONS = {
  table: { Icon: FileSpreadsheet, color: "text-emerald-600 dark:text-emerald-400" },
  image: { Icon: FileImage, color: "text-violet-600 dark:text-violet-400" },
  code: { Icon: FileCode, color: "text-sky-600 dark:text-sky-400" },
  text: { Icon: FileText, color: "text-slate-500 dark:text-slate-400" },
  pdf: { Icon: FileText, color: "text-rose-600 dark:text-rose-400" },
  archive: { Icon: FileArchive, color: "text-amber-600 dark:text-amber-400" },
  notebook: { Icon: BookOpen, color: "text-orange-600 dark:text-orange-400" },
  other: { Icon: File, color: "text-slate-400 dark:text-slate-500" },
} as const;

export function FileIcon({ kind, open = false, className }: { kind: FileKind; open?: boolean; className?: string }) {
  if (kind === "folder") {
    const Icon = open ? FolderOpen : Folder;
    return (
      <Icon
        aria-hidden
        className={cn("size-4 shrink-0 fill-sky-100 text-sky-600 dark:fill-sky-950 dark:text-sky-400", className)}
      />
    );
  }
  const { Icon, color } = ICONS[kind];
  return <Icon aria-hidden className={cn("size-4 shrink-0", color, className)} />;
}
