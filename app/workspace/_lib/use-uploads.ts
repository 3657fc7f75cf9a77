"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "../../_components/toaster";
import { formatBytes } from "./format";
import { displayPath, joinPath, nameProblem } from "./paths";
import { type TarItem, tarBlob } from "./tar-blob";

export type Upload = {
  id: number;
  name: string;
  path: string;
  loaded: number;
  total: number;
  status: "uploading" | "done" | "error";
  /** A folder upload: how many of its files have arrived. */
  files?: { done: number; total: number };
};

const DONE_LINGER_MS = 1500;

/** The upload route's own message ("larger than the 200 MB upload limit", "path …"), else a plain fallback. */
function uploadError(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON
  }
  if (xhr.status === 413) return "The file is too large to upload.";
  if (xhr.status === 401) return "Your session ended. Sign in again.";
  return `The server answered ${xhr.status || "nothing"}. Try again.`;
}

/**
 * Uploads files into a workspace folder through PUT /api/files/upload, one request per file,
 * with progress from XMLHttpRequest (fetch has no upload progress).
 */
export function useUploads({ maxBytes, onUploaded }: { maxBytes: number; onUploaded: (path: string) => void }) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const requests = useRef(new Map<number, XMLHttpRequest>());
  const nextId = useRef(1);

  const update = useCallback((id: number, change: Partial<Upload>) => {
    setUploads((current) => current.map((upload) => (upload.id === id ? { ...upload, ...change } : upload)));
  }, []);
  const remove = useCallback((id: number) => {
    requests.current.delete(id);
    setUploads((current) => current.filter((upload) => upload.id !== id));
  }, []);

  const uploadOne = useCallback(
    (file: File, dir: string) => {
      const problem = nameProblem(file.name);
      if (problem) {
        toast.error(`Can't upload “${file.name}”`, problem);
        return;
      }
      if (file.size > maxBytes) {
        toast.error(
          `“${file.name}” is too large`,
          `It is ${formatBytes(file.size)}; the upload limit is ${formatBytes(maxBytes)}.`,
        );
        return;
      }
      const id = nextId.current++;
      const path = joinPath(dir, file.name);
      setUploads((current) => [
        ...current,
        { id, name: file.name, path, loaded: 0, total: file.size, status: "uploading" },
      ]);

      const xhr = new XMLHttpRequest();
      requests.current.set(id, xhr);
      xhr.open("PUT", `/api/files/upload?${new URLSearchParams({ path }).toString()}`);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (event) =>
        update(id, { loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          update(id, { status: "done", loaded: file.size });
          onUploaded(path);
          setTimeout(() => remove(id), DONE_LINGER_MS);
        } else {
          toast.error(`Couldn't upload “${file.name}” to ${displayPath(dir)}`, uploadError(xhr));
          remove(id);
        }
      };
      xhr.onerror = () => {
        toast.error(
          `Couldn't upload “${file.name}”`,
          "The connection was interrupted. Check the file size and try again.",
        );
        remove(id);
      };
      xhr.onabort = () => remove(id);
      xhr.send(file);
    },
    [maxBytes, onUploaded, update, remove],
  );

  const upload = useCallback(
    (files: Iterable<File>, dir: string) => {
      for (const file of files) uploadOne(file, dir);
    },
    [uploadOne],
  );

  /**
   * Uploads folders as one tar (built in the browser, streamed from disk) through
   * PUT /api/files/upload-folder, which checks every entry before extracting into `dir`.
   */
  const uploadFolder = useCallback(
    (items: TarItem[], dir: string, label: string) => {
      if (items.length === 0) {
        toast.error(`“${label}” is empty`, "There are no files in it to upload.");
        return;
      }
      let built: ReturnType<typeof tarBlob>;
      try {
        built = tarBlob(items);
      } catch (error) {
        toast.error(`Can't upload “${label}”`, error instanceof Error ? `${error.message}.` : undefined);
        return;
      }
      const { blob, ends } = built;
      if (blob.size > maxBytes) {
        toast.error(
          `“${label}” is too large`,
          `Its ${ends.length} files come to ${formatBytes(blob.size)}; the upload limit is ${formatBytes(maxBytes)}. Upload its subfolders one by one.`,
        );
        return;
      }
      const id = nextId.current++;
      const path = joinPath(dir, label);
      const total = ends.length;
      const bytes = items.reduce((sum, item) => sum + (item.file?.size ?? 0), 0);
      setUploads((current) => [
        ...current,
        { id, name: label, path, loaded: 0, total: blob.size, status: "uploading", files: { done: 0, total } },
      ]);
      const xhr = new XMLHttpRequest();
      requests.current.set(id, xhr);
      xhr.open("PUT", `/api/files/upload-folder?${new URLSearchParams({ path: dir }).toString()}`);
      xhr.setRequestHeader("Content-Type", "application/x-tar");
      xhr.upload.onprogress = (event) => {
        const done = ends.filter((end) => end <= event.loaded).length;
        update(id, { loaded: event.loaded, files: { done, total } });
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          update(id, { status: "done", loaded: blob.size, files: { done: total, total } });
          toast.success(`Uploaded “${label}”`, `${total} ${total === 1 ? "file" : "files"}, ${formatBytes(bytes)}, into ${displayPath(dir)}.`);
          onUploaded(path);
          setTimeout(() => remove(id), DONE_LINGER_MS);
        } else {
          toast.error(`Couldn't upload “${label}” to ${displayPath(dir)}`, uploadError(xhr));
          remove(id);
        }
      };
      xhr.onerror = () => {
        toast.error(`Couldn't upload “${label}”`, "The connection was interrupted. Try again.");
        remove(id);
      };
      xhr.onabort = () => remove(id);
      xhr.send(blob);
    },
    [maxBytes, onUploaded, update, remove],
  );

  const cancel = useCallback((id: number) => requests.current.get(id)?.abort(), []);

  useEffect(() => {
    const pending = requests.current;
    return () => pending.forEach((xhr) => xhr.abort());
  }, []);

  return { uploads, upload, uploadFolder, cancel };
}
