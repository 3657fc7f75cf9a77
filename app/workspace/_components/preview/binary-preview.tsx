import { Download, FileQuestion } from "lucide-react";
import { Button } from "../../../_components/ui/button";
import { formatBytes } from "../../_lib/format";
import { downloadUrl } from "../../_lib/paths";

/** Files with no preview: what they are and a way to get them. */
export function BinaryPreview({ path, name, size }: { path: string; name: string; size: number }) {
  return (
    <div
      className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center"
      data-testid="preview-binary"
    >
      <div className="grid size-14 place-items-center rounded-2xl bg-slate-100 dark:bg-slate-800">
        <FileQuestion className="size-7 text-slate-400" aria-hidden />
      </div>
      <div>
        <p className="font-medium">{name}</p>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          Binary file · {formatBytes(size)} · no preview for this kind of file
        </p>
      </div>
      <Button asChild variant="secondary">
        <a href={downloadUrl(path)} download data-testid="preview-binary-download">
          <Download aria-hidden />
          Download
        </a>
      </Button>
    </div>
  );
}
