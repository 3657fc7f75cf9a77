import { crc32 } from "node:zlib";

// A streaming ZIP writer (stored entries, UTF-8 names). Each file's CRC is only
// known once its bytes have passed, so local headers leave it blank and a data
// descriptor follows the data (flag bit 3): nothing is buffered whole.
//
// ZIP64 where the classic fields are too small: a file whose size may reach
// 4 GB gets a zip64 extra field in its local header and 8-byte sizes in its
// descriptor; a central record whose size or offset passes 4 GB carries them in
// its own zip64 extra; past 65,535 entries or a directory beyond 4 GB, a zip64
// end record and its locator come before the classic end record.

const UTF8_AND_DESCRIPTOR = 0x0808;
const UTF8 = 0x0800;
const VERSION_NEEDED = 20;
const VERSION_ZIP64 = 45;
/** Made by Unix (3), spec 4.5: the external attributes carry Unix modes. */
const VERSION_MADE_BY = (3 << 8) | VERSION_ZIP64;
const ZIP64_EXTRA = 0x0001;
/** The largest value a classic 32-bit field holds; it (and 0xffff for counts) means "see zip64". */
const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;

export class ZipLimitError extends Error {}

type CentralRecord = {
  name: Buffer;
  flags: number;
  /** Written with zip64 local extra and descriptor. */
  zip64: boolean;
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

function uint64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}

/** A zip64 extended information extra field holding `values` (8 bytes each, in the spec's order). */
function zip64Extra(values: number[]): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(ZIP64_EXTRA, 0);
  header.writeUInt16LE(values.length * 8, 2);
  return Buffer.concat([header, ...values.map(uint64)]);
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
    return buffer;
  }

  private add(name: string, flags: number, attributes: number, mtime: Date, zip64: boolean): CentralRecord {
    const record = {
      name: Buffer.from(name, "utf8"),
      flags,
      zip64,
      crc: 0,
      size: 0,
      offset: this.offset,
      attributes,
      ...dosDateTime(mtime),
    };
    if (record.name.length > MAX_16) throw new ZipLimitError("a name is too long");
    this.records.push(record);
    return record;
  }

  private localHeader(record: CentralRecord): Buffer {
    // Sizes follow in the descriptor; a zip64 extra says they are 8 bytes there (its values stay 0 until then).
    const extra = record.zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(record.zip64 ? VERSION_ZIP64 : VERSION_NEEDED, 4);
    header.writeUInt16LE(record.flags, 6);
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt16LE(record.time, 10);
    header.writeUInt16LE(record.date, 12);
    // CRC (14..17) stays 0: it follows in the data descriptor. Folders have none.
    if (record.zip64) {
      header.writeUInt32LE(MAX_32, 18);
      header.writeUInt32LE(MAX_32, 22);
    }
    header.writeUInt16LE(record.name.length, 26);
    header.writeUInt16LE(extra.length, 28);
    return this.advance(Buffer.concat([header, record.name, extra]));
  }

  /** A folder entry ("name/"). */
  directory(name: string, mtime: Date, mode = 0o755): Buffer {
    if (this.current) throw new Error("a file is still open");
    const record = this.add(
      name.endsWith("/") ? name : `${name}/`,
      UTF8,
      (((0o040000 | mode) << 16) | 0x10) >>> 0,
      mtime,
      false,
    );
    return this.localHeader(record);
  }

  /**
   * `expectedSize`, when the caller knows it (a tar header does), keeps small files in the
   * classic format; without it the file is written as zip64, which any size fits.
   */
  startFile(name: string, mtime: Date, mode = 0o644, expectedSize?: number): Buffer {
    if (this.current) throw new Error("a file is still open");
    const zip64 = expectedSize === undefined || expectedSize >= MAX_32;
    const record = this.add(name, UTF8_AND_DESCRIPTOR, ((0o100000 | mode) << 16) >>> 0, mtime, zip64);
    this.current = { record, crc: 0, size: 0 };
    return this.localHeader(record);
  }

  fileData(chunk: Buffer): Buffer {
    const current = this.current;
    if (!current) throw new Error("no file is open");
    current.crc = crc32(chunk, current.crc);
    current.size += chunk.length;
    if (!current.record.zip64 && current.size >= MAX_32)
      throw new ZipLimitError("a file grew past the size it was announced with");
    return this.advance(chunk);
  }

  endFile(): Buffer {
    const current = this.current;
    if (!current) throw new Error("no file is open");
    this.current = null;
    const { record } = current;
    record.crc = current.crc;
    record.size = current.size;
    const descriptor = Buffer.alloc(record.zip64 ? 24 : 16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(current.crc >>> 0, 4);
    if (record.zip64) {
      descriptor.writeBigUInt64LE(BigInt(current.size), 8);
      descriptor.writeBigUInt64LE(BigInt(current.size), 16);
    } else {
      descriptor.writeUInt32LE(current.size, 8);
      descriptor.writeUInt32LE(current.size, 12);
    }
    return this.advance(descriptor);
  }

  private centralRecord(record: CentralRecord): Buffer {
    // Fields too large for 32 bits read 0xffffffff and move to the extra, in the spec's order.
    const large = record.size >= MAX_32;
    const far = record.offset >= MAX_32;
    const values = [...(large ? [record.size, record.size] : []), ...(far ? [record.offset] : [])];
    const extra = values.length > 0 ? zip64Extra(values) : Buffer.alloc(0);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(VERSION_MADE_BY, 4);
    header.writeUInt16LE(record.zip64 || extra.length > 0 ? VERSION_ZIP64 : VERSION_NEEDED, 6);
    header.writeUInt16LE(record.flags, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(record.time, 12);
    header.writeUInt16LE(record.date, 14);
    header.writeUInt32LE(record.crc >>> 0, 16);
    header.writeUInt32LE(large ? MAX_32 : record.size, 20);
    header.writeUInt32LE(large ? MAX_32 : record.size, 24);
    header.writeUInt16LE(record.name.length, 28);
    header.writeUInt16LE(extra.length, 30);
    // comment, disk start, internal attributes: 0
    header.writeUInt32LE(record.attributes, 38);
    header.writeUInt32LE(far ? MAX_32 : record.offset, 42);
    return Buffer.concat([header, record.name, extra]);
  }

  /** The central directory and its end record (with the zip64 end record and locator when needed). */
  finish(): Buffer {
    if (this.current) throw new Error("a file is still open");
    const start = this.offset;
    const central = this.advance(Buffer.concat(this.records.map((record) => this.centralRecord(record))));
    const count = this.records.length;
    const zip64 = count >= MAX_16 || start >= MAX_32 || central.length >= MAX_32;
    const parts = [central];
    if (zip64) {
      const endAt = this.offset;
      const end64 = Buffer.alloc(56);
      end64.writeUInt32LE(0x06064b50, 0);
      end64.writeBigUInt64LE(44n, 4); // the record's size after this field
      end64.writeUInt16LE(VERSION_MADE_BY, 12);
      end64.writeUInt16LE(VERSION_ZIP64, 14);
      // this disk, the directory's disk: 0
      end64.writeBigUInt64LE(BigInt(count), 24);
      end64.writeBigUInt64LE(BigInt(count), 32);
      end64.writeBigUInt64LE(BigInt(central.length), 40);
      end64.writeBigUInt64LE(BigInt(start), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(endAt), 8);
      locator.writeUInt32LE(1, 16); // disks in all
      parts.push(this.advance(end64), this.advance(locator));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(count, MAX_16), 8);
    end.writeUInt16LE(Math.min(count, MAX_16), 10);
    end.writeUInt32LE(Math.min(central.length, MAX_32), 12);
    end.writeUInt32LE(Math.min(start, MAX_32), 16);
    parts.push(this.advance(end));
    return Buffer.concat(parts);
  }
}
