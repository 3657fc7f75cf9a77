/** The delimiters the sniffer tries and the preview offers. */
export const DELIMITERS = [",", "\t", ";", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The first rows of delimited text, parsed like a spreadsheet would (quotes, doubled quotes, CRLF). */
export type TablePreview = { columns: string[]; rows: string[][]; truncated: boolean };

/**
 * Records of delimited text (blank lines skipped), at most maxRecords of them.
 * `truncated` says the text went on past them; `count` is how many records the
 * whole text holds (the rest are scanned, not kept, so the preview can say "first N of M").
 */
export function parseRecords(
  text: string,
  delimiter: Delimiter,
  maxRecords: number,
): { records: string[][]; truncated: boolean; count: number } {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let count = 0;
  const endRecord = () => {
    record.push(field);
    if (record.length > 1 || record[0] !== "") {
      count++;
      if (records.length < maxRecords) records.push(record);
    }
    field = "";
    record = [];
  };
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === delimiter) {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index++;
      endRecord();
    } else field += char;
  }
  if (field !== "" || record.length > 0) endRecord();
  return { records, truncated: count > maxRecords, count };
}

/** A header record then up to maxRows rows. */
export function parseDelimited(text: string, delimiter: Delimiter, maxRows: number): TablePreview {
  const { records, truncated } = parseRecords(text, delimiter, maxRows + 1);
  const [header = [], ...rows] = records;
  return { columns: header, rows, truncated };
}
