/** A Content-Disposition value for a file name of any characters (ASCII fallback plus the UTF-8 name). */
export function contentDisposition(disposition: "inline" | "attachment", name: string): string {
  return `${disposition}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
