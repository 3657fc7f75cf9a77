import type { PlannedTable } from "./table";
import { UnreadableWorkbookError } from "./xlsx";

// An old binary Excel workbook (.xls, BIFF8 inside an OLE2 compound file) read
// just enough to preview it: sheet names in workbook order and a sheet's first
// rows, in TypeScript with every offset checked, so an untrusted file can only
// fail to parse. Values stay as stored (dates are serial numbers), as for .xlsx.

const SIGNATURE = "d0cf11e0a1b11ae1";
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
/** Sectors, directory entries and records visited at most: a looped chain ends here. */
const MAX_STEPS = 1_000_000;

type Compound = { bytes: Buffer; sectorSize: number; fat: number[] };

function sectorAt(file: Compound, sector: number): Buffer {
  const start = (sector + 1) * file.sectorSize;
  if (start + file.sectorSize > file.bytes.length)
    throw new UnreadableWorkbookError("a sector past the end of the file");
  return file.bytes.subarray(start, start + file.sectorSize);
}

function chain(fat: number[], start: number): number[] {
  const sectors: number[] = [];
  const seen = new Set<number>();
  for (let sector = start; sector !== END_OF_CHAIN && sector !== FREE; sector = fat[sector] ?? END_OF_CHAIN) {
    if (seen.has(sector) || sector >= fat.length || sectors.length >= MAX_STEPS)
      throw new UnreadableWorkbookError("a damaged sector chain");
    seen.add(sector);
    sectors.push(sector);
  }
  return sectors;
}

function readChain(file: Compound, start: number): Buffer {
  return Buffer.concat(chain(file.fat, start).map((sector) => sectorAt(file, sector)));
}

/** The workbook stream ("Workbook") of an OLE2 compound file. */
function workbookStream(bytes: Buffer): Buffer {
  if (bytes.length < 512 || bytes.subarray(0, 8).toString("hex") !== SIGNATURE)
    throw new UnreadableWorkbookError("not an Excel 97–2003 file");
  const sectorShift = bytes.readUInt16LE(0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) throw new UnreadableWorkbookError("an unknown sector size");
  const sectorSize = 1 << sectorShift;
  const file: Compound = { bytes, sectorSize, fat: [] };
  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  for (let index = 0; index < 109; index++) fatSectors.push(bytes.readUInt32LE(0x4c + index * 4));
  const perDifat = sectorSize / 4 - 1;
  for (let sector = bytes.readUInt32LE(0x44), steps = 0; sector < END_OF_CHAIN; steps++) {
    if (steps > 10_000) throw new UnreadableWorkbookError("a damaged sector table");
    const block = sectorAt(file, sector);
    for (let index = 0; index < perDifat; index++) fatSectors.push(block.readUInt32LE(index * 4));
    sector = block.readUInt32LE(perDifat * 4);
  }
  const fatCount = bytes.readUInt32LE(0x2c);
  for (const sector of fatSectors.filter((entry) => entry < END_OF_CHAIN).slice(0, fatCount)) {
    const block = sectorAt(file, sector);
    for (let at = 0; at < sectorSize; at += 4) file.fat.push(block.readUInt32LE(at));
  }

  const directory = readChain(file, bytes.readUInt32LE(0x30));
  type Entry = { name: string; type: number; start: number; size: number };
  const entries: Entry[] = [];
  for (let at = 0; at + 128 <= directory.length; at += 128) {
    const nameBytes = Math.min(64, directory.readUInt16LE(at + 0x40));
    entries.push({
      name: directory.toString("utf16le", at, at + Math.max(0, nameBytes - 2)),
      type: directory[at + 0x42]!,
      start: directory.readUInt32LE(at + 0x74),
      size: directory.readUInt32LE(at + 0x78),
    });
  }
  const root = entries.find((entry) => entry.type === 5);
  const stream = entries.find((entry) => entry.type === 2 && entry.name === "Workbook");
  if (!stream) {
    if (entries.some((entry) => entry.type === 2 && entry.name === "Book"))
      throw new UnreadableWorkbookError("an Excel 5.0/95 workbook; save it as .xlsx");
    throw new UnreadableWorkbookError("no workbook stream");
  }
  if (stream.size >= bytes.readUInt32LE(0x38)) return readChain(file, stream.start).subarray(0, stream.size);
  // A small stream lives in 64-byte mini sectors inside the root entry's stream.
  if (!root) throw new UnreadableWorkbookError("no root entry");
  const miniStream = readChain(file, root.start);
  const miniFatBytes = readChain(file, bytes.readUInt32LE(0x3c));
  const miniFat: number[] = [];
  for (let at = 0; at + 4 <= miniFatBytes.length; at += 4) miniFat.push(miniFatBytes.readUInt32LE(at));
  const miniSize = 1 << bytes.readUInt16LE(0x20);
  const parts = chain(miniFat, stream.start).map((sector) => {
    if ((sector + 1) * miniSize > miniStream.length) throw new UnreadableWorkbookError("a damaged mini stream");
    return miniStream.subarray(sector * miniSize, (sector + 1) * miniSize);
  });
  return Buffer.concat(parts).subarray(0, stream.size);
}

type BiffRecord = { type: number; offset: number; data: Buffer };

function* biffRecords(stream: Buffer, from = 0): Generator<BiffRecord> {
  for (let at = from, steps = 0; at + 4 <= stream.length && steps < MAX_STEPS; steps++) {
    const type = stream.readUInt16LE(at);
    const length = stream.readUInt16LE(at + 2);
    if (at + 4 + length > stream.length) throw new UnreadableWorkbookError("a record past the end of the stream");
    yield { type, offset: at, data: stream.subarray(at + 4, at + 4 + length) };
    at += 4 + length;
  }
}

const BOF = 0x0809;
const EOF = 0x000a;
const CONTINUE = 0x003c;

/**
 * Reads BIFF8 strings from a record and its CONTINUE records: a string's characters may run
 * into the next record, which then starts with a fresh flags byte (8- or 16-bit characters).
 */
class StringReader {
  private part = 0;
  private at = 0;
  constructor(private readonly parts: Buffer[]) {}

  private current(): Buffer {
    while (this.part < this.parts.length && this.at >= this.parts[this.part]!.length) {
      this.part++;
      this.at = 0;
    }
    const buffer = this.parts[this.part];
    if (!buffer) throw new UnreadableWorkbookError("a string past the end of its record");
    return buffer;
  }

  byte(): number {
    return this.current()[this.at++]!;
  }

  u16(): number {
    return this.byte() | (this.byte() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  skip(count: number): void {
    for (let left = count; left > 0;) {
      const buffer = this.current();
      const step = Math.min(left, buffer.length - this.at);
      this.at += step;
      left -= step;
    }
  }

  /** An XLUnicodeString's characters, after its length; `flags` is its option byte. */
  characters(count: number, flags: number): string {
    let text = "";
    let wide = (flags & 1) === 1;
    for (let left = count; left > 0;) {
      let buffer = this.current();
      if (this.at === 0 && text.length > 0) {
        wide = (buffer[this.at++]! & 1) === 1;
        buffer = this.current();
      }
      const width = wide ? 2 : 1;
      const take = Math.min(left, Math.floor((buffer.length - this.at) / width));
      if (take === 0) throw new UnreadableWorkbookError("a damaged string");
      text += buffer.toString(wide ? "utf16le" : "latin1", this.at, this.at + take * width);
      this.at += take * width;
      left -= take;
    }
    return text;
  }

  /** An XLUnicodeRichExtendedString (the shared string table's entries). */
  richString(): string {
    const count = this.u16();
    const flags = this.byte();
    const runs = flags & 0x08 ? this.u16() : 0;
    const extension = flags & 0x04 ? this.u32() : 0;
    const text = this.characters(count, flags);
    this.skip(runs * 4 + extension);
    return text;
  }
}

type Sheet = { name: string; offset: number };
type Globals = { sheets: Sheet[]; strings: string[] };

function globals(stream: Buffer): Globals {
  const sheets: Sheet[] = [];
  const strings: string[] = [];
  const all = biffRecords(stream);
  const first = all.next();
  if (first.done || first.value.type !== BOF || first.value.data.readUInt16LE(0) !== 0x0600)
    throw new UnreadableWorkbookError("not a BIFF8 workbook (Excel 97 or later)");
  let sst: Buffer[] | null = null;
  const finishSst = () => {
    if (!sst) return;
    const reader = new StringReader(sst);
    reader.skip(4);
    const unique = reader.u32();
    for (let index = 0; index < unique; index++) strings.push(reader.richString());
    sst = null;
  };
  for (const record of all) {
    if (record.type === CONTINUE && sst) {
      sst.push(record.data);
      continue;
    }
    finishSst();
    if (record.type === EOF) break;
    if (record.type === 0x00fc) sst = [record.data];
    if (record.type === 0x0085) {
      // BoundSheet8: stream offset, visibility, kind (0 = worksheet), then a short unicode name.
      if (record.data[5] !== 0) continue;
      const reader = new StringReader([record.data.subarray(6)]);
      const count = reader.byte();
      sheets.push({ name: reader.characters(count, reader.byte()), offset: record.data.readUInt32LE(0) });
    }
  }
  finishSst();
  return { sheets, strings };
}

function rkValue(rk: number): number {
  let value: number;
  if (rk & 0x02) value = rk >> 2;
  else {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE((rk & 0xfffffffc) >>> 0, 4);
    value = bytes.readDoubleLE(0);
  }
  return rk & 0x01 ? value / 100 : value;
}

function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : "";
}

/** The workbook's worksheet names, in the order pandas reads them. */
export function xlsSheets(bytes: Buffer): string[] {
  return guarded(() => globals(workbookStream(bytes)).sheets.map((sheet) => sheet.name));
}

/** A sheet's first rows as pandas' default read shows them: blank rows dropped, the first row is the header. */
export function xlsSheetTable(bytes: Buffer, sheetName: string, maxRows: number): PlannedTable {
  return guarded(() => {
    const stream = workbookStream(bytes);
    const { sheets, strings } = globals(stream);
    const sheet = sheets.find((candidate) => candidate.name === sheetName);
    if (!sheet) throw new UnreadableWorkbookError(`no sheet named ${sheetName}`);
    const cells = new Map<number, string[]>();
    const put = (row: number, column: number, text: string) => {
      if (text === "") return;
      const record = cells.get(row) ?? [];
      while (record.length < column) record.push("");
      record[column] = text;
      cells.set(row, record);
    };
    let formulaCell: [number, number] | null = null;
    for (const { type, data } of biffRecords(stream, sheet.offset)) {
      if (type === EOF) break;
      const row = data.length >= 4 ? data.readUInt16LE(0) : 0;
      const column = data.length >= 4 ? data.readUInt16LE(2) : 0;
      if (type === 0x00fd) put(row, column, strings[data.readUInt32LE(6)] ?? "");
      else if (type === 0x0203) put(row, column, numberText(data.readDoubleLE(6)));
      else if (type === 0x027e) put(row, column, numberText(rkValue(data.readUInt32LE(6))));
      else if (type === 0x00bd) {
        const last = data.readUInt16LE(data.length - 2);
        for (let index = 0; column + index <= last; index++)
          put(row, column + index, numberText(rkValue(data.readUInt32LE(4 + index * 6 + 2))));
      } else if (type === 0x0204) {
        const reader = new StringReader([data.subarray(6)]);
        const count = reader.u16();
        put(row, column, reader.characters(count, reader.byte()));
      } else if (type === 0x0205) put(row, column, data[7] ? "" : data[6] ? "TRUE" : "FALSE");
      else if (type === 0x0006) {
        // A formula's cached result: a number, or (0xffff in its last bytes) a string in the next STRING record.
        formulaCell = null;
        if (data.readUInt16LE(12) !== 0xffff) put(row, column, numberText(data.readDoubleLE(6)));
        else if (data[6] === 0) formulaCell = [row, column];
        else if (data[6] === 1) put(row, column, data[8] ? "TRUE" : "FALSE");
      } else if (type === 0x0207 && formulaCell) {
        const reader = new StringReader([data]);
        const count = reader.u16();
        put(formulaCell[0], formulaCell[1], reader.characters(count, reader.byte()));
        formulaCell = null;
      }
    }
    const lines = [...cells.entries()].sort(([a], [b]) => a - b).map(([, record]) => record);
    if (lines.length === 0) return { columns: [], rows: [], truncated: false, shape: "empty", rowsRead: 0 };
    const columns = lines.shift()!;
    const rows = lines.slice(0, maxRows);
    return {
      columns,
      rows,
      truncated: lines.length > rows.length,
      shape: rows.length === 0 ? "header-only" : "rows",
      rowsRead: lines.length,
    };
  });
}

/** Any out-of-bounds read of a damaged file becomes the workbook's own error. */
function guarded<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnreadableWorkbookError) throw error;
    if (error instanceof RangeError) throw new UnreadableWorkbookError("a damaged file");
    throw error;
  }
}
