"use client";

import { ImageOff } from "lucide-react";
import { useState } from "react";
import { downloadUrl } from "../../_lib/paths";

/** An image straight from the download route (inline), on a checkerboard so transparency shows. */
export function ImagePreview({ path, name, version }: { path: string; name: string; version: number }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-2 text-sm text-slate-500">
        <ImageOff className="size-8" aria-hidden />
        This image couldn&apos;t be displayed. Download it to open it on your computer.
      </div>
    );
  }
  return (
    <div className="flex min-h-0 flex-1 items-center justify-center overflow-auto bg-[repeating-conic-gradient(#f1f5f9_0_25%,#fff_0_50%)] bg-[length:20px_20px] p-6 dark:bg-[repeating-conic-gradient(#0f172a_0_25%,#020617_0_50%)]">
      <img
        src={downloadUrl(path, { inline: true, version })}
        alt={name}
        data-testid="preview-image"
        onError={() => setFailed(true)}
        className="max-h-full max-w-full rounded object-contain shadow-sm"
      />
    </div>
  );
}
