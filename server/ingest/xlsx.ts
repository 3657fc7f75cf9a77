import { inflateRawSync } from "node:zlib";
import type { PlannedTable } from "./table";

// An .xlsx workbook read just enough to preview it: its sheet names in
// workbook order (as pandas numbers them) and a sheet's first rows, straight
// from the zip with node:zlib. Formats, formulas and dates stay as stored.

export class UnreadableWorkbookError extends Error {
  constructor(reason: string) {
    super(`This workbook can't be read (${reason}).`);
    this.name = "UnreadableWorkbookError";
  }
}

/** A zip member is inflated to at most this much (a sheet's XML, or the shared strings). */
const MAX_MEMBER_BYTES = 64 * 1024 * 1024;

type ZipEntry = { method: number; compressedSize: number; localOffset: number };

function zipEntries(zip: Buffer): Map<string, ZipEntry> {
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 65_557); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new UnreadableWorkbookError("not a zip file");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, ZipEntry>();
  for (let index = 0; index < count; index++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50)
      throw new UnreadableWorkbookError("a damaged zip directory");
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    entries.set(name, {
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

function member(zip: Buffer, entries: Map<string, ZipEntry>, name: string): string | null {
  const entry = entries.get(name);
  if (!entry) return null;
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50)
    throw new UnreadableWorkbookError("a damaged zip entry");
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.toString("utf8");
  if (entry.method !== 8) throw new UnreadableWorkbookError("an unsupported compression");
  try {
    return inflateRawSync(data, { maxOutputLength: MAX_MEMBER_BYTES }).toString("utf8");
  } catch {
    throw new UnreadableWorkbookError("a part too large or damaged");
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_match, entity: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
    const lower = entity.toLowerCase();
    if (lower in named) return named[lower]!;
    return String.fromCodePoint(lower.startsWith("#x") ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10));
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeXml(match[1]!) : undefined;
}

type Sheet = { name: string; target: string };

function sheetsOf(zip: Buffer, entries: Map<string, ZipEntry>): Sheet[] {
  const workbook = member(zip, entries, "xl/workbook.xml");
  if (workbook === null) throw new UnreadableWorkbookError("no xl/workbook.xml");
  const rels = member(zip, entries, "xl/_rels/workbook.xml.rels") ?? "";
  const targets = new Map<string, string>();
  for (const [tag] of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attribute(tag, "Id");
    const target = attribute(tag, "Target");
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const sheets: Sheet[] = [];
  for (const [tag] of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = attribute(tag, "name");
    const target = targets.get(attribute(tag, "r:id") ?? "");
    if (name !== undefined) sheets.push({ name, target: target ?? `xl/worksheets/sheet${sheets.length + 1}.xml` });
  }
  return sheets;
}

/** The workbook's sheet names, in the order pandas reads them. */
export function workbookSheets(zip: Buffer): string[] {
  return sheetsOf(zip, zipEntries(zip)).map((sheet) => sheet.name);
}

function textOf(fragment: string): string {
  return [...fragment.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].map((match) => unescapeXml(match[1]!)).join("");
}

function columnIndex(ref: string | undefined, fallback: number): number {
  const letters = ref ? /^[A-Z]+/.exec(ref)?.[0] : undefined;
  if (!letters) return fallback;
  return [...letters].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0) - 1;
}

/** A sheet's first rows as pandas' default read shows them: the first row is the header. */
export function sheetTable(zip: Buffer, sheetName: string, maxRows: number): PlannedTable {
  const entries = zipEntries(zip);
  const sheet = sheetsOf(zip, entries).find((candidate) => candidate.name === sheetName);
  if (!sheet) throw new UnreadableWorkbookError(`no sheet named ${sheetName}`);
  const xml = member(zip, entries, sheet.target);
  if (xml === null) throw new UnreadableWorkbookError(`sheet ${sheetName} is missing`);
  const shared = [...(member(zip, entries, "xl/sharedStrings.xml") ?? "").matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>/g)].map(
    (match) => textOf(match[1]!),
  );

  const records: string[][] = [];
  let count = 0;
  for (const [, body] of xml.matchAll(/<row\b[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    count++;
    if (records.length > maxRows) continue;
    const record: string[] = [];
    for (const [, tag, inner = ""] of (body ?? "").matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const type = attribute(tag!, "t");
      const value = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      const text =
        type === "s"
          ? (shared[Number(value)] ?? "")
          : type === "inlineStr"
            ? textOf(inner)
            : type === "b"
              ? value === "1"
                ? "TRUE"
                : "FALSE"
              : unescapeXml(value ?? "");
      const index = columnIndex(attribute(tag!, "r"), record.length);
      while (record.length < index) record.push("");
      record[index] = text;
    }
    records.push(record);
  }
  if (records.length === 0) return { columns: [], rows: [], truncated: false, shape: "empty", rowsRead: 0 };
  const columns = records.shift()!;
  const rows = records.slice(0, maxRows);
  return {
    columns,
    rows,
    truncated: count - 1 > rows.length,
    shape: rows.length === 0 ? "header-only" : "rows",
    rowsRead: count - 1,
  };
}
