import type { LoadPlan } from "./load-plan";

/** The pandas call that reads the file as planned, e.g. `pd.read_csv("/workspace/a.csv", skiprows=1, encoding="latin-1")`. */
export function pandasReadCall(path: string, plan: LoadPlan): string {
  // JSON string literals are valid Python string literals.
  const args = [JSON.stringify(path)];
  if (plan.delimiter !== ",") args.push(`sep=${JSON.stringify(plan.delimiter)}`);
  if (plan.skipRows > 0) args.push(`skiprows=${plan.skipRows}`);
  if (!plan.header) args.push("header=None");
  if (plan.comment) args.push(`comment=${JSON.stringify(plan.comment)}`);
  if (plan.encoding !== "utf-8") args.push(`encoding=${JSON.stringify(plan.encoding)}`);
  // pandas infers compression from .gz / .zip; say it only when the name does not.
  const inferred =
    plan.compression === "gzip" ? /\.gz$/i.test(path) : plan.compression === "zip" ? /\.zip$/i.test(path) : true;
  if (!inferred) args.push(`compression=${JSON.stringify(plan.compression)}`);
  return `pd.read_csv(${args.join(", ")})`;
}

/** The pandas call for a workbook's sheet (the first by default), named when there are several. */
export function pandasExcelCall(path: string, sheets: string[], sheet = sheets[0]): string {
  if (sheet === undefined || (sheets.length <= 1 && sheet === sheets[0]))
    return `pd.read_excel(${JSON.stringify(path)})`;
  return `pd.read_excel(${JSON.stringify(path)}, sheet_name=${JSON.stringify(sheet)})`;
}
