import { crc32 } from "node:zlib";

// A streaming ZIP writer (stored entries, UTF-8 names). Each file's CRC is only
// known once its bytes have passed, so local headers leave it blank and a data
// descriptor follows the data (flag bit 3): nothing is buffered whole. No ZIP64:
// past 4 GB or 65,535 entries the writer refuses, and the caller says so.

const UTF8_AND_DESCRIPTOR = 0x0808;
const UTF8 = 0x0800;
const VERSION_NEEDED = 20;
/** Made by Unix (3), spec 3.0: the external attributes carry Unix modes. */
const VERSION_MADE_BY = (3 << 8) | 30;
export const ZIP_MAX_ENTRIES = 0xffff;
export const ZIP_MAX_BYTES = 0xffffffff;

export class ZipLimitError extends Error {}

type CentralRecord = {
  name: Buffer;
  flags: number;
  crc: number;
  size: number;
  offset: number;
  time: number;
  date: number;
  attributes: number;
};

function dosDateTime(when: Date): { time: number; date: number } {
  const year = Math.max(1980, when.getFullYear());
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate(),
  };
}

/**
 * Produces a ZIP as a sequence of buffers: `startFile` / `fileData` / `endFile` per file,
 * `directory` per folder, then `finish` for the central directory. The caller writes each
 * returned buffer out in order.
 */
export class ZipWriter {
  private offset = 0;
  private readonly records: CentralRecord[] = [];
  private current: { record: CentralRecord; crc: number; size: number } | null = null;

  private advance(buffer: Buffer): Buffer {
    this.offset += buffer.length;
    if (this.offset > ZIP_MAX_BYTES) throw new ZipLimitError("the zip would be larger than 4 GB");
    return buffer;
  }

  private add(name: string, flags: number, attributes: number, mtime: Date): CentralRecord {
    if (this.records.length >= ZIP_MAX_ENTRIES)
      throw new ZipLimitError(`it holds more than ${ZIP_MAX_ENTRIES} files and folders`);
    const record = {
      name: Buffer.from(name, "utf8"),
      flags,
      crc: 0,
      size: 0,
      offset: this.offset,
      attributes,
      ...dosDateTime(mtime),
    };
    if (record.name.length > 0xffff) throw new ZipLimitError("a name is too long");
    this.records.push(record);
    return record;
  }

  private localHeader(record: CentralRecord): Buffer {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4);
    header.writeUInt16LE(record.flags, 6);
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt16LE(record.time, 10);
    header.writeUInt16LE(record.date, 12);
    // CRC and sizes (14..25) stay 0 for files: they follow in the data descriptor. Folders have none.
    header.writeUInt16LE(record.name.length, 26);
    header.writeUInt16LE(0, 28);
    return this.advance(Buffer.concat([header, record.name]));
  }

  /** A folder entry ("name/"). */
  directory(name: string, mtime: Date, mode = 0o755): Buffer {
    if (this.current) throw new Error("a file is still open");
    const record = this.add(
      name.endsWith("/") ? name : `${name}/`,
      UTF8,
      (((0o040000 | mode) << 16) | 0x10) >>> 0,
      mtime,
    );
    return this.localHeader(record);
  }

  startFile(name: string, mtime: Date, mode = 0o644): Buffer {
    if (this.current) throw new Error("a file is still open");
    const record = this.add(name, UTF8_AND_DESCRIPTOR, ((0o100000 | mode) << 16) >>> 0, mtime);
    this.current = { record, crc: 0, size: 0 };
    return this.localHeader(record);
  }

  fileData(chunk: Buffer): Buffer {
    if (!this.current) throw new Error("no file is open");
    this.current.crc = crc32(chunk, this.current.crc);
    this.current.size += chunk.length;
    return this.advance(chunk);
  }

  endFile(): Buffer {
    const current = this.current;
    if (!current) throw new Error("no file is open");
    this.current = null;
    current.record.crc = current.crc;
    current.record.size = current.size;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(current.crc >>> 0, 4);
    descriptor.writeUInt32LE(current.size, 8);
    descriptor.writeUInt32LE(current.size, 12);
    return this.advance(descriptor);
  }

  /** The central directory and its end record. */
  finish(): Buffer {
    if (this.current) throw new Error("a file is still open");
    const start = this.offset;
    const parts = this.records.map((record) => {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(VERSION_MADE_BY, 4);
      header.writeUInt16LE(VERSION_NEEDED, 6);
      header.writeUInt16LE(record.flags, 8);
      header.writeUInt16LE(0, 10);
      header.writeUInt16LE(record.time, 12);
      header.writeUInt16LE(record.date, 14);
      header.writeUInt32LE(record.crc >>> 0, 16);
      header.writeUInt32LE(record.size, 20);
      header.writeUInt32LE(record.size, 24);
      header.writeUInt16LE(record.name.length, 28);
      // extra, comment, disk start, internal attributes: 0
      header.writeUInt32LE(record.attributes, 38);
      header.writeUInt32LE(record.offset, 42);
      return Buffer.concat([header, record.name]);
    });
    const central = this.advance(Buffer.concat(parts));
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.records.length, 8);
    end.writeUInt16LE(this.records.length, 10);
    end.writeUInt32LE(central.length, 12);
    end.writeUInt32LE(start, 16);
    return Buffer.concat([central, this.advance(end)]);
  }
}
