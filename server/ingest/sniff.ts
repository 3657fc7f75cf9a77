import { unpackHead } from "./compressed-head";
import { decodeHead } from "./decode-head";
import { DELIMITERS, type Delimiter, parseRecords } from "./delimited";
import { applyOverrides, type LoadOverrides, type LoadPlan } from "./load-plan";

// Reads a delimited file's head the way an analyst would before loading it:
// decompress, decode, skip leading `#` comments and a metadata preamble (e.g.
// "506,13,,," above the real header), pick the delimiter that splits rows most
// consistently, and decide whether the first row is a header.

export type Sniffed = {
  /** What was detected, before the user's overrides. */
  detected: LoadPlan;
  /** What to read with: detected, then overridden. */
  plan: LoadPlan;
  /** The decoded head, cut at its last whole line when the file goes on. */
  text: string;
};

/** Lines looked at to decide; a head holds many more. */
const SAMPLE_LINES = 60;
const MAX_PREAMBLE_LINES = 10;
const NUMBER = /^[-+]?(\d+([.,]\d+)*|\d*\.\d+)([eE][-+]?\d+)?%?$/;
const LINE_BREAK = /\r\n|\n|\r/;

/**
 * Sniffs how to load a delimited file from its first bytes. `cut` says the bytes
 * are a head of a longer file. Null when the bytes are not text.
 */
export function sniffTable(
  fileName: string,
  bytes: Uint8Array,
  options: { cut: boolean; overrides?: LoadOverrides },
): Sniffed | null {
  const unpacked = unpackHead(fileName, bytes);
  if (unpacked.member !== undefined && !/\.(csv|tsv|txt)$/i.test(unpacked.member)) return null;
  const cut = options.cut || unpacked.cut;
  const overrides = options.overrides ?? {};
  const auto = decodeHead(unpacked.bytes, cut);
  const decoded = overrides.encoding ? decodeHead(unpacked.bytes, cut, overrides.encoding) : auto;
  if (!decoded) return null;
  const text = cut ? upToLastLine(decoded.text) : decoded.text;
  const name = logicalName(fileName, unpacked.member);
  const base = { compression: unpacked.compression, ...(unpacked.member ? { member: unpacked.member } : {}) };
  const layout = sniffLayout(text, name);
  const detected: LoadPlan = { ...base, encoding: auto?.encoding ?? decoded.encoding, ...layout };
  // A delimiter the user picked changes where the header and preamble are found.
  const chosen =
    overrides.delimiter && overrides.delimiter !== layout.delimiter
      ? sniffLayout(text, name, overrides.delimiter)
      : layout;
  return { detected, plan: applyOverrides({ ...base, encoding: decoded.encoding, ...chosen }, overrides), text };
}

function sniffLayout(
  text: string,
  fileName: string,
  forcedDelimiter?: Delimiter,
): Pick<LoadPlan, "delimiter" | "skipRows" | "header" | "comment"> {
  const lines = text.split(LINE_BREAK, SAMPLE_LINES * 4);
  const commentLines = leadingCommentLines(lines);
  const rest = lines.slice(commentLines);
  const delimiter = forcedDelimiter ?? sniffDelimiter(rest, fileName);
  const preamble = preambleLines(rest, delimiter);
  const dataLines = rest.slice(preamble);
  const { records } = parseRecords(dataLines.slice(0, SAMPLE_LINES).join("\n"), delimiter, SAMPLE_LINES);
  const header = hasHeader(records);
  if (preamble > 0) return { delimiter, skipRows: commentLines + preamble, header, comment: null };
  // `comment="#"` also cuts a `#` inside a row (e.g. "Apt #4"): use it only when data rows have none.
  if (commentLines > 0 && !dataLines.some((line) => line.includes("#")))
    return { delimiter, skipRows: 0, header, comment: "#" };
  return { delimiter, skipRows: commentLines, header, comment: null };
}

/** Lines at the start that are `#` comments (blank lines among them count too). */
function leadingCommentLines(lines: string[]): number {
  let end = 0;
  let comments = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line.startsWith("#")) {
      comments++;
      end = index + 1;
    } else if (line !== "") break;
  }
  return comments > 0 ? end : 0;
}

/** The delimiter whose rows most often share one field count (more than one field); .tsv means tab when tab works. */
function sniffDelimiter(lines: string[], fileName: string): Delimiter {
  const sample = lines
    .filter((line) => line.trim() !== "")
    .slice(0, SAMPLE_LINES)
    .join("\n");
  let best: { delimiter: Delimiter; consistency: number; fields: number } = {
    delimiter: /\.tsv$/i.test(fileName) ? "\t" : ",",
    consistency: 0,
    fields: 1,
  };
  for (const delimiter of DELIMITERS) {
    const { records } = parseRecords(sample, delimiter, SAMPLE_LINES);
    const { count, share } = modalFieldCount(records);
    if (count < 2) continue;
    if (delimiter === "\t" && /\.tsv$/i.test(fileName)) return "\t";
    if (share > best.consistency || (share === best.consistency && count > best.fields))
      best = { delimiter, consistency: share, fields: count };
  }
  return best.delimiter;
}

function modalFieldCount(records: string[][]): { count: number; share: number } {
  const tally = new Map<number, number>();
  for (const record of records) tally.set(record.length, (tally.get(record.length) ?? 0) + 1);
  let count = 0;
  let seen = 0;
  for (const [fields, times] of tally)
    if (times > seen || (times === seen && fields > count)) [count, seen] = [fields, times];
  return { count, share: records.length ? seen / records.length : 0 };
}

/**
 * Lines above the header that are not part of the table: a first row with far
 * fewer filled fields than the table's usual width (like "506,13,,,,").
 */
function preambleLines(lines: string[], delimiter: Delimiter): number {
  const { records } = parseRecords(
    lines
      .filter((line) => line.trim() !== "")
      .slice(0, SAMPLE_LINES)
      .join("\n"),
    delimiter,
    SAMPLE_LINES,
  );
  const { count: usual } = modalFieldCount(records.map((record) => record.filter((field) => field.trim() !== "")));
  if (usual < 3) return 0;
  let skipped = 0;
  let index = 0;
  for (; index < lines.length && skipped < MAX_PREAMBLE_LINES; index++) {
    const line = lines[index]!;
    if (line.trim() === "") continue;
    const filled = (parseRecords(line, delimiter, 1).records[0] ?? []).filter((field) => field.trim() !== "").length;
    if (filled * 2 > usual) break;
    skipped++;
  }
  return skipped > 0 ? index : 0;
}

/**
 * A header unless the first row is all numbers over numeric columns, as data
 * would be. A row with any word in it stays a header (pandas' default): a
 * year-labelled header ("region,2019,2020") must not become data, and the user
 * can turn the header off in the preview.
 */
function hasHeader(records: string[][]): boolean {
  const [first, ...body] = records;
  if (!first || body.length === 0) return true;
  const cells = first.map((cell) => cell.trim()).filter(Boolean);
  if (cells.length === 0 || !cells.every((cell) => NUMBER.test(cell))) return true;
  const numericColumn = first.some((_cell, index) => {
    const values = body.map((row) => row[index]?.trim() ?? "").filter(Boolean);
    return values.length > 0 && values.every((value) => NUMBER.test(value));
  });
  return !numericColumn;
}

/** "sales.csv.gz" → "sales.csv"; a zip → its member's name. */
function logicalName(fileName: string, member?: string): string {
  return member ?? fileName.replace(/\.(gz|zip)$/i, "");
}

function upToLastLine(text: string): string {
  const end = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
  return end > 0 ? text.slice(0, end + 1) : text;
}
