// How the preview reads a cell, the way pandas' read_csv would by default:
// the same strings count as missing, and numbers are plain decimal literals.

/** pandas' default na_values (plus the empty cell): what read_csv turns into NaN. */
const MISSING = new Set([
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
]);

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isMissing(value: string | undefined): boolean {
  return value === undefined || MISSING.has(value.trim());
}

/** The number a cell holds, or null when it is missing or not a plain number ("1,234" stays text, as in pandas). */
export function numberOf(value: string | undefined): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : null;
}

export type ColumnType = "integer" | "decimal" | "boolean" | "date" | "text" | "empty";

/** The narrowest type every non-missing value of the column fits. */
export function columnType(values: Iterable<string | undefined>): ColumnType {
  let integer = true;
  let decimal = true;
  let boolean = true;
  let date = true;
  let seen = false;
  for (const raw of values) {
    if (isMissing(raw)) continue;
    const value = raw!.trim();
    seen = true;
    integer &&= INTEGER.test(value);
    decimal &&= DECIMAL.test(value);
    boolean &&= BOOLEAN.test(value);
    date &&= DATE.test(value);
    if (!integer && !decimal && !boolean && !date) return "text";
  }
  if (!seen) return "empty";
  if (integer) return "integer";
  if (decimal) return "decimal";
  if (boolean) return "boolean";
  return date ? "date" : "text";
}

export function isNumericType(type: ColumnType): boolean {
  return type === "integer" || type === "decimal";
}
