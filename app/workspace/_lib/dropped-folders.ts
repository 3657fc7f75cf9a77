import type { TarItem } from "./tar-blob";

// Folders dropped from the desktop arrive as FileSystemEntry trees, read
// asynchronously, folders included (so empty ones come along); a picked folder
// (webkitdirectory) arrives as a flat list of Files with webkitRelativePath:
// browsers give the picker files only, so its empty folders can't be seen.
// Both become { path, file } items under the folder's own name.

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every folder and file under a dropped folder (itself first), with paths starting at the folder's name. */
export async function readDroppedFolder(root: FileSystemDirectoryEntry): Promise<TarItem[]> {
  const items: TarItem[] = [];
  const walk = async (directory: FileSystemDirectoryEntry, prefix: string) => {
    items.push({ path: prefix, file: null });
    const reader = directory.createReader();
    // readEntries answers in batches (100 in Chromium) until an empty one.
    for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
      for (const entry of batch) {
        const path = `${prefix}/${entry.name}`;
        if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, path);
        else if (entry.isFile) items.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
      }
    }
  };
  await walk(root, root.name);
  return items;
}

/** A folder picked with <input webkitdirectory>: its files, grouped by top folder name. */
export function pickedFolder(files: File[]): { name: string; items: TarItem[] } {
  const items = files.map((file) => ({ path: file.webkitRelativePath || file.name, file }));
  const name = items[0]?.path.split("/")[0] ?? "folder";
  return { name, items };
}
