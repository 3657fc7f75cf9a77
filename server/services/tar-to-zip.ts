import { PassThrough, type Readable } from "node:stream";
import * as tar from "tar-stream";
import { ZipLimitError, ZipWriter } from "./zip-writer";

/**
 * Turns a folder's tar stream into a zip stream as it arrives, each entry under `root/`.
 * Back-pressure runs end to end: a slow reader pauses the tar. Past 4 GB or 65,535 entries
 * the zip is ZIP64. `onLimit` makes the error a stream fails with when an entry can't be
 * zipped (a name longer than ZIP allows).
 */
export function tarToZip(source: Readable, root: string, onLimit: (reason: string) => Error): Readable {
  const extract = tar.extract();
  const output = new PassThrough();
  const zip = new ZipWriter();
  const fail = (error: unknown) => {
    output.destroy(error instanceof ZipLimitError ? onLimit(error.message) : (error as Error));
    extract.destroy();
    source.destroy();
  };
  // Headers and descriptors are small: written without waiting; file data waits for the reader.
  const write = (buffer: Buffer) => void output.write(buffer);
  const prefix = root ? `${root}/` : "";
  extract.on("entry", (header, stream, next) => {
    stream.on("error", () => {});
    const name = `${prefix}${header.name.replace(/^(\.\/)+/, "").replace(/\/+$/, "")}`;
    const mtime = header.mtime ?? new Date();
    try {
      if (header.type === "directory") {
        if (name !== prefix && name !== "" && name !== ".") write(zip.directory(name, mtime));
        stream.on("end", () => next());
        stream.resume();
        return;
      }
      // The tar header says how large the file is: only files that need it are written as ZIP64.
      write(zip.startFile(name, mtime, (header.mode ?? 0o644) & 0o777, header.size));
    } catch (error) {
      return fail(error);
    }
    stream.on("data", (chunk) => {
      try {
        const data = zip.fileData(chunk as Buffer);
        if (!output.write(data)) {
          stream.pause();
          output.once("drain", () => stream.resume());
        }
      } catch (error) {
        fail(error);
      }
    });
    stream.on("end", () => {
      try {
        write(zip.endFile());
        next();
      } catch (error) {
        fail(error);
      }
    });
  });
  extract.on("finish", () => {
    try {
      output.end(zip.finish());
    } catch (error) {
      fail(error);
    }
  });
  extract.on("error", fail);
  source.on("error", fail);
  // The reader went away: stop reading the tar (which ends the engine's exec).
  output.on("close", () => {
    if (!output.writableFinished) {
      extract.destroy();
      source.destroy();
    }
  });
  source.pipe(extract);
  return output;
}
