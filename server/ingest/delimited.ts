/** The delimiters the sniffer tries and the preview offers. */
export const DELIMITERS = [",", "\t", ";", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The first rows of delimited text, parsed like a spreadsheet would (quotes, doubled quotes, CRLF). */
export type TablePreview = { columns: string[]; rows: string[][]; truncated: boolean };

/**
 * Records of delimited text (blank lines skipped), at most maxRecords of them.
 * `truncated` says the text went on past them.
 */
export function parseRecords(
  text: string,
  delimiter: Delimiter,
  maxRecords: number,
): { records: string[][]; truncated: boolean } {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let truncated = false;
  const endRecord = () => {
    record.push(field);
    field = "";
    if (record.length > 1 || record[0] !== "") records.push(record);
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
      if (records.length > maxRecords) {
        truncated = true;
        break;
      }
    } else field += char;
  }
  if (!truncated && (field !== "" || record.length > 0)) endRecord();
  if (records.length > maxRecords) {
    records.length = maxRecords;
    truncated = true;
  }
  return { records, truncated };
}

/** A header record then up to maxRows rows. */
export function parseDelimited(text: string, delimiter: Delimiter, maxRows: number): TablePreview {
  const { records, truncated } = parseRecords(text, delimiter, maxRows + 1);
  const [header = [], ...rows] = records;
  return { columns: header, rows, truncated };
}
