import { Download, FileText } from "lucide-react";
import { baseName, displayPath, downloadUrl } from "../_lib/paths";

const OPENS_IN_BROWSER = /\.(png|jpe?g|gif|svg|webp|pdf|txt|md|csv|json|html?)$/i;

/**
 * A file in the workspace the agent wrote or read: opens in a new tab when the
 * browser can show it, else downloads.
 */
export function FileLink({ path, label }: { path: string; label?: string }) {
  const viewable = OPENS_IN_BROWSER.test(path);
  return (
    <a
      href={downloadUrl(path, { inline: viewable })}
      {...(viewable ? { target: "_blank", rel: "noreferrer" } : { download: baseName(path) })}
      className="inline-flex max-w-full items-center gap-1 rounded font-mono text-xs text-sky-700 underline decoration-sky-300 underline-offset-2 hover:text-sky-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400 dark:decoration-sky-700 dark:hover:text-sky-300"
      title={viewable ? `Open ${displayPath(path)}` : `Download ${displayPath(path)}`}
      data-testid="tool-file-link"
      data-path={path}
    >
      {viewable ? <FileText className="size-3.5 shrink-0" aria-hidden /> : <Download className="size-3.5 shrink-0" aria-hidden />}
      <span className="truncate">{label ?? displayPath(path)}</span>
    </a>
  );
}
