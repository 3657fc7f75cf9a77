// The program pdf-text.ts runs in a child Node process (`node --input-type=module -e`):
// plain JavaScript with nothing from the app, so it works the same from source
// and from a bundled build. Input: the PDF's bytes on stdin; argv: unpdf's URL,
// the text cap in characters, the page cap. Output: one JSON object on stdout
// ({ meta, pages, cut }); exit 3 when the bytes are not a readable PDF, 4 when
// unpdf could not be loaded (a broken install, not the user's file).
export const PDF_CHILD_SOURCE = `
const [unpdfUrl, maxCharsArg, maxPagesArg] = process.argv.slice(1);
// stdout carries only the result: pdf.js's own messages go to stderr.
console.log = console.info = console.warn = console.debug = (...parts) => process.stderr.write(parts.join(" ") + "\\n");
const maxChars = Number(maxCharsArg);
const maxPages = Number(maxPagesArg);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const data = new Uint8Array(Buffer.concat(chunks));
let getDocumentProxy;
try {
  ({ getDocumentProxy } = await import(unpdfUrl));
} catch (error) {
  process.stderr.write(String(error && error.message));
  process.exit(4);
}
let pdf;
try {
  // No eval: pdf.js then never compiles code from a font (CVE-2024-4367).
  pdf = await getDocumentProxy(data, { isEvalSupported: false, verbosity: 0 });
} catch {
  process.exit(3);
}
const meta = {};
try {
  const info = (await pdf.getMetadata())?.info ?? {};
  for (const key of ["Title", "Author", "Subject"]) {
    if (typeof info[key] === "string") meta[key] = info[key].slice(0, 1000);
  }
} catch {}
const pages = [];
let chars = 0;
let cut = false;
for (let number = 1; number <= pdf.numPages; number++) {
  if (number > maxPages || chars >= maxChars) {
    cut = true;
    break;
  }
  const content = await (await pdf.getPage(number)).getTextContent();
  let text = content.items.filter((item) => item.str != null).map((item) => item.str + (item.hasEOL ? "\\n" : "")).join("");
  if (chars + text.length > maxChars) {
    text = text.slice(0, maxChars - chars);
    cut = true;
  }
  chars += text.length;
  pages.push(text);
}
process.stdout.write(JSON.stringify({ meta, pages, cut }), () => process.exit(0));
`;
