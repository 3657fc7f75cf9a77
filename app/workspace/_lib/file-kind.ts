// A file's kind from its name, for icons and hints. The server decides how to preview it.

export type FileKind = "folder" | "table" | "image" | "code" | "text" | "pdf" | "archive" | "notebook" | "other";

const BY_EXTENSION: Record<string, FileKind> = {
  csv: "table",
  tsv: "table",
  xlsx: "table",
  xls: "table",
  parquet: "table",
  png: "image",
  jpg: "image",
  jpeg: "image",
  gif: "image",
  webp: "image",
  svg: "image",
  py: "code",
  js: "code",
  ts: "code",
  tsx: "code",
  jsx: "code",
  sh: "code",
  sql: "code",
  r: "code",
  json: "code",
  yaml: "code",
  yml: "code",
  toml: "code",
  html: "code",
  css: "code",
  txt: "text",
  md: "text",
  log: "text",
  pdf: "pdf",
  zip: "archive",
  tar: "archive",
  gz: "archive",
  tgz: "archive",
  ipynb: "notebook",
};

export function fileKind(name: string, isDir: boolean): FileKind {
  if (isDir) return "folder";
  const dot = name.lastIndexOf(".");
  if (dot < 0) return "other";
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? "other";
}
