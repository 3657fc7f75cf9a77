import type { Compression } from "./compressed-head";
import type { Delimiter } from "./delimited";

// How to read a delimited file: what the sniffer found, what the user changed,
// and what the preview, the agent's summary and the pandas hint all share.

/** Encodings the preview offers, spelled as Python (pandas) spells them. */
export const ENCODINGS = [
  "utf-8",
  "utf-8-sig",
  "latin-1",
  "cp1252",
  "utf-16",
  "shift_jis",
  "euc-jp",
  "gb18030",
  "big5",
  "euc-kr",
  "cp1251",
  "iso-8859-2",
] as const;
export type Encoding = (typeof ENCODINGS)[number];

export type LoadPlan = {
  delimiter: Delimiter;
  /** Python codec name (pandas' `encoding=`), e.g. "utf-8", "latin-1", "utf-8-sig". */
  encoding: string;
  /** Lines skipped before the header (a metadata preamble, or comment lines when `comment` is not used). */
  skipRows: number;
  /** The first row read is a header. */
  header: boolean;
  /** Lines starting with this are comments (pandas' `comment=`). */
  comment: "#" | null;
  compression: Compression | null;
  /** The zip member read (a zip pandas reads holds one file). */
  member?: string;
};

/** What the user may change in the preview. */
export type LoadOverrides = { delimiter?: Delimiter; encoding?: Encoding; skipRows?: number; header?: boolean };

export const MAX_SKIP_ROWS = 1000;

export function applyOverrides(plan: LoadPlan, overrides: LoadOverrides = {}): LoadPlan {
  return {
    ...plan,
    delimiter: overrides.delimiter ?? plan.delimiter,
    encoding: overrides.encoding ?? plan.encoding,
    skipRows: overrides.skipRows ?? plan.skipRows,
    header: overrides.header ?? plan.header,
  };
}
