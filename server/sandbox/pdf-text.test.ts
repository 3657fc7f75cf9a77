import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NotATextFileError } from "./errors";
import { PDF_MAX_INPUT_BYTES, PdfTooComplexError, extractPdfText } from "./pdf-text";

// The extractor runs in a child Node process (real, no Docker needed). The PDF
// bomb and the server's memory are measured in test/integration/abuse-memory.test.ts.
describe("extractPdfText", () => {
  it("reads a PDF's metadata and text, page by page", async () => {
    const pdf = await fs.readFile(path.join(import.meta.dirname, "../../test/fixtures/hello.pdf"));
    const text = await extractPdfText(pdf, "/workspace/hello.pdf");
    expect(text).toContain("Title: Tidepool test");
    expect(text).toContain("--- Page 1 ---\nHello from a PDF");
  });

  it("says 'not text' for bytes that are not a PDF", async () => {
    await expect(extractPdfText(Buffer.from("%PDF-1.4 not really"), "/workspace/x.pdf")).rejects.toThrow(
      NotATextFileError,
    );
  });

  it("refuses input over its cap without starting anything", async () => {
    const error = await extractPdfText(new Uint8Array(PDF_MAX_INPUT_BYTES + 1), "/workspace/big.pdf").catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PdfTooComplexError);
    expect((error as Error).message).toBe("This PDF is too complex to preview; download it instead.");
  });
});
