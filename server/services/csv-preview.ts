/** The first rows of delimited text, parsed like a spreadsheet would (quotes, doubled quotes, CRLF). */
export type TablePreview = { columns: string[]; rows: string[][]; truncated: boolean };

export function parseDelimited(text: string, delimiter: "," | "\t" | ";", maxRows: number): TablePreview {
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
      if (records.length > maxRows) {
        truncated = true;
        break;
      }
    } else field += char;
  }
  if (!truncated && (field !== "" || record.length > 0)) endRecord();
  if (records.length > maxRows + 1) {
    records.length = maxRows + 1;
    truncated = true;
  }
  const [header = [], ...rows] = records;
  return { columns: header, rows, truncated };
}

/** Picks the delimiter that splits the first line most consistently. */
export function sniffDelimiter(text: string, fileName: string): "," | "\t" | ";" {
  if (/\.tsv$/i.test(fileName)) return "\t";
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = ([",", "\t", ";"] as const).map((delimiter) => [delimiter, firstLine.split(delimiter).length] as const);
  return counts.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best))[0];
}
