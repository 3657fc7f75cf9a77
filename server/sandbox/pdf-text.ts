import { extractText, getDocumentProxy, getMeta } from "unpdf";
import { NotATextFileError } from "./errors";

/** Text of a PDF, page by page, with its title and author when set (the seeds' layout). */
export async function extractPdfText(bytes: Uint8Array, path: string): Promise<string> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes));
  } catch {
    throw new NotATextFileError(path);
  }
  try {
    const parts: string[] = [];
    const info = ((await getMeta(pdf).catch(() => null))?.info ?? {}) as Record<string, unknown>;
    for (const key of ["Title", "Author", "Subject"]) {
      const value = info[key];
      if (typeof value === "string" && value.trim()) parts.push(`${key}: ${value.trim()}`);
    }
    if (parts.length > 0) parts.push("");
    const { text } = await extractText(pdf, { mergePages: false });
    text.forEach((page, index) => {
      const cleaned = cleanPdfText(page);
      if (cleaned) parts.push(`--- Page ${index + 1} ---`, cleaned, "");
    });
    const result = parts.join("\n").trim();
    if (!text.some((page) => page.trim())) return `${result}\n\n[No extractable text in this PDF (scanned images?)]`.trim();
    return result;
  } finally {
    await pdf.cleanup().catch(() => {});
  }
}

function cleanPdfText(text: string): string {
  return text
    .replace(/\f/g, "\n")
    .replace(/ +/g, " ")
    .replace(/\n /g, "\n")
    .replace(/ \n/g, "\n")
    .replace(/(\w+)-\n(\w+)/g, "$1$2")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
