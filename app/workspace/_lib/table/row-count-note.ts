// What the table holds, said plainly: how many rows were loaded of how many
// were read, whether only the file's head was read, and how many match a filter.

const count = new Intl.NumberFormat();

export function rowCountNote({
  loaded,
  rowsRead,
  headOnly,
  columns,
  matching,
}: {
  loaded: number;
  rowsRead: number;
  headOnly: boolean;
  columns: number;
  /** Rows passing the filter, or null without one. */
  matching: number | null;
}): string {
  const parts: string[] = [];
  if (matching !== null) parts.push(`${count.format(matching)} of ${count.format(loaded)} rows match`);
  if (rowsRead > loaded) {
    parts.push(
      `First ${count.format(loaded)} rows of ${count.format(rowsRead)}${headOnly ? "+ (only the file's head was read)" : ""}`,
    );
  } else if (headOnly) {
    parts.push(`First ${count.format(loaded)} rows (only the file's head was read)`);
  } else {
    parts.push(`${count.format(loaded)} ${loaded === 1 ? "row" : "rows"}`);
  }
  parts.push(`${columns} ${columns === 1 ? "column" : "columns"}`);
  if (rowsRead > loaded || headOnly) parts.push("Download the file or use the console for all of it.");
  return parts.join(" · ");
}
