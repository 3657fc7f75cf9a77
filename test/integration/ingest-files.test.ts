import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSystemPrompt, describeWorkspaceFiles } from "~/server/agent";
import { db } from "~/server/db";
import { uploadFile } from "~/server/services/file-transfer";
import { readChoicesOf } from "~/server/services/read-choices";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { sandboxFor } from "~/server/services/sandboxes";
import { newUser, trpcCodeOf } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// Messy real-shaped data files through the platform, on real Postgres and
// Docker: uploaded as a user would, previewed with the right columns (and the
// user's overrides), and summarised for the agent with a pandas call that
// really loads each file in the sandbox.

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/datasets");

async function run(user: Awaited<ReturnType<typeof newUser>>, command: string): Promise<string> {
  let output = "";
  for await (const event of await user.caller.sandbox.execute({ command }))
    if (event.type === "output") output += event.text;
  return output;
}

describe("ingesting messy data files", () => {
  let alice: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    await resetDatabase();
    alice = await newUser("alice");
    for (const name of readdirSync(FIXTURES)) {
      const bytes = readFileSync(path.join(FIXTURES, name));
      await uploadFile(alice.id, `/workspace/${name}`, new Blob([bytes]).stream(), bytes.length);
    }
  });

  afterAll(async () => {
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  it("previews each file with its real columns and the pandas call that reads it", async () => {
    const stocks = await alice.caller.files.preview({ path: "stocks-comment.csv" });
    expect(stocks).toMatchObject({
      kind: "table",
      pandas: 'pd.read_csv("/workspace/stocks-comment.csv", comment="#")',
    });
    expect(stocks.kind === "table" && stocks.table.columns).toEqual([
      "Date",
      "AAPL",
      "MSFT",
      "GOOG",
      "AMZN",
      "META",
      "NVDA",
      "TSLA",
      "IBM",
      "ORCL",
      "INTC",
    ]);
    const housing = await alice.caller.files.preview({ path: "housing-preamble.csv" });
    expect(housing.kind === "table" && housing.table.columns.slice(0, 3)).toEqual(["CRIM", "ZN", "INDUS"]);
    const latin = await alice.caller.files.preview({ path: "cities-latin1.csv" });
    expect(latin).toMatchObject({
      kind: "table",
      plan: { encoding: "latin-1" },
      table: { columns: ["ville", "pays", "température"] },
    });
    expect(await alice.caller.files.preview({ path: "prices-semicolon.csv" })).toMatchObject({
      plan: { delimiter: ";" },
      table: { columns: ["produit", "prix", "quantité"] },
    });
    expect(await alice.caller.files.preview({ path: "sales.csv.gz" })).toMatchObject({
      kind: "table",
      table: { columns: ["region", "month", "revenue"] },
    });
    expect(await alice.caller.files.preview({ path: "orders.zip" })).toMatchObject({
      kind: "table",
      plan: { member: "orders.csv" },
    });
    expect(await alice.caller.files.preview({ path: "empty.csv" })).toMatchObject({
      kind: "table",
      table: { shape: "empty" },
    });
    expect(await alice.caller.files.preview({ path: "header-only.csv" })).toMatchObject({
      kind: "table",
      table: { shape: "header-only" },
    });
  });

  it("applies the user's overrides, validated", async () => {
    const raw = await alice.caller.files.preview({
      path: "housing-preamble.csv",
      overrides: { skipRows: 0, header: false },
    });
    expect(raw).toMatchObject({
      detected: { skipRows: 1, header: true },
      plan: { skipRows: 0, header: false },
      pandas: 'pd.read_csv("/workspace/housing-preamble.csv", header=None)',
    });
    expect(raw.kind === "table" && raw.table.rows[0]?.slice(0, 2)).toEqual(["5", "13"]);
    expect(await trpcCodeOf(alice.caller.files.preview({ path: "scores.tsv", overrides: { skipRows: -1 } }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await trpcCodeOf(alice.caller.files.preview({ path: "scores.tsv", overrides: { delimiter: "x" as "," } })),
    ).toBe("BAD_REQUEST");
  });

  it("tells the agent how to load each file, and that call works in the sandbox", async () => {
    const description = await describeWorkspaceFiles(await sandboxFor(alice.id), { maxDetailed: 12 });
    const byName = new Map(description.files.map((file) => [path.basename(file.path), file]));
    expect(byName.get("stocks-comment.csv")).toMatchObject({
      rows: 4,
      load: 'pd.read_csv("/workspace/stocks-comment.csv", comment="#")',
    });
    expect(byName.get("stocks-comment.csv")?.columns).toHaveLength(11);
    expect(byName.get("housing-preamble.csv")).toMatchObject({
      rows: 5,
      load: 'pd.read_csv("/workspace/housing-preamble.csv", skiprows=1)',
    });
    expect(byName.get("cities-latin1.csv")).toMatchObject({
      rows: 4,
      load: 'pd.read_csv("/workspace/cities-latin1.csv", encoding="latin-1")',
    });
    expect(byName.get("cities-latin1.csv")?.sample?.[1]?.[0]).toBe("Zürich");
    expect(byName.get("sales.csv.gz")).toMatchObject({
      rows: 48,
      columns: [{ name: "region" }, { name: "month" }, { name: "revenue", dtype: "int64" }],
    });
    expect(byName.get("empty.csv")).toMatchObject({ empty: true });
    expect(byName.get("header-only.csv")).toMatchObject({
      rows: 0,
      columns: [{ name: "order_id" }, { name: "customer" }, { name: "amount" }],
    });

    const prompt = buildSystemPrompt({ files: description });
    expect(prompt).toContain('load with: pd.read_csv("/workspace/stocks-comment.csv", comment="#")');
    expect(prompt).toContain('load with: pd.read_csv("/workspace/cities-latin1.csv", encoding="latin-1")');
    expect(prompt).toContain("/workspace/empty.csv (0 B, empty: no header and no rows, nothing to load)");
    expect(prompt).toMatch(/header-only\.csv \([^)]*header only, no data rows\)/);

    // Each hint loads its file in real pandas with the columns the preview shows.
    for (const file of description.files.filter((entry) => entry.load)) {
      const columns = await run(alice, `python3 -c 'import pandas as pd; print(list(${file.load}.columns)[:3])'`);
      expect(columns, file.path).not.toContain("Error");
      expect(columns.trim(), file.path).toMatch(/^\[/);
    }
    expect(
      await run(
        alice,
        `python3 -c 'import pandas as pd; print(list(${byName.get("cities-latin1.csv")?.load}.columns))'`,
      ),
    ).toBe("['ville', 'pays', 'température']\n");
  });

  it("previews a workbook's sheets, the picked one with its columns, and tells the agent which sheet it loads", async () => {
    const first = await alice.caller.files.preview({ path: "two-sheets.xlsx" });
    expect(first).toMatchObject({
      kind: "sheet",
      sheets: ["Summary", "Monthly detail"],
      sheet: "Summary",
      table: { columns: ["region", "sales"] },
      pandas: 'pd.read_excel("/workspace/two-sheets.xlsx", sheet_name="Summary")',
    });
    const second = await alice.caller.files.preview({ path: "two-sheets.xlsx", sheet: "Monthly detail" });
    expect(second).toMatchObject({
      kind: "sheet",
      sheet: "Monthly detail",
      table: { columns: ["month", "units", "note"], rowsRead: 3 },
      pandas: 'pd.read_excel("/workspace/two-sheets.xlsx", sheet_name="Monthly detail")',
    });
    // The preview's call reads the same sheet in real pandas.
    const pandas = second.kind === "sheet" ? second.pandas : "";
    expect(await run(alice, `python3 -c 'import pandas as pd; print(list(${pandas}.columns))'`)).toBe(
      "['month', 'units', 'note']\n",
    );
    expect(await trpcCodeOf(alice.caller.files.preview({ path: "two-sheets.xlsx", sheet: "Nope" }))).toBe(
      "BAD_REQUEST",
    );

    const description = await describeWorkspaceFiles(await sandboxFor(alice.id), { maxDetailed: 12 });
    const workbook = description.files.find((file) => file.path === "/workspace/two-sheets.xlsx");
    expect(workbook).toMatchObject({
      sheets: ["Summary", "Monthly detail"],
      load: 'pd.read_excel("/workspace/two-sheets.xlsx", sheet_name="Summary")',
    });
    expect(buildSystemPrompt({ files: description })).toContain('sheet_name="Summary"');
  });

  it("previews an old .xls workbook's sheets, and tells the agent plainly that this runtime's pandas can't read it", async () => {
    expect(await alice.caller.files.preview({ path: "two-sheets.xls", sheet: "Monthly detail" })).toMatchObject({
      kind: "sheet",
      sheets: ["Summary", "Monthly detail"],
      sheet: "Monthly detail",
      table: { columns: ["month", "units", "note"], rowsRead: 3 },
      pandas: null,
    });
    // The reason the preview gives is true: pandas in the sandbox refuses .xls without xlrd 2.
    expect(
      await run(alice, `python3 -c 'import pandas as pd; pd.read_excel("/workspace/two-sheets.xls")' 2>&1`),
    ).toMatch(/xlrd/);
    const description = await describeWorkspaceFiles(await sandboxFor(alice.id), { maxDetailed: 13 });
    const xls = description.files.find((file) => file.path === "/workspace/two-sheets.xls");
    expect(xls?.load).toBeUndefined();
    expect(buildSystemPrompt({ files: description })).toContain(
      "(could not read details: pandas here can't read .xls (it needs xlrd 2.0.1 or newer); ask the user to save it as .xlsx or CSV",
    );
  });

  it("remembers how the user reads a file, for the preview and the agent, until the file changes or moves", async () => {
    const { entries } = await alice.caller.files.list({});
    const version = (name: string) => {
      const entry = entries.find((candidate) => candidate.name === name)!;
      return { path: entry.path, size: entry.size, modifiedMs: entry.modifiedMs };
    };
    await alice.caller.files.rememberRead({ ...version("two-sheets.xlsx"), sheet: "Monthly detail" });
    await alice.caller.files.rememberRead({
      ...version("housing-preamble.csv"),
      overrides: { skipRows: 0, header: false },
    });
    expect(await alice.caller.files.preview(version("two-sheets.xlsx"))).toMatchObject({ sheet: "Monthly detail" });
    expect(await alice.caller.files.preview(version("housing-preamble.csv"))).toMatchObject({
      overrides: { skipRows: 0, header: false },
      plan: { skipRows: 0, header: false },
    });

    const describe = async () => {
      const description = await describeWorkspaceFiles(await sandboxFor(alice.id), {
        maxDetailed: 12,
        choices: await readChoicesOf(alice.id),
      });
      return new Map(description.files.map((file) => [path.basename(file.path), file]));
    };
    const chosen = await describe();
    expect(chosen.get("two-sheets.xlsx")).toMatchObject({
      sheet: "Monthly detail",
      columns: [{ name: "month" }, { name: "units" }, { name: "note" }],
      load: 'pd.read_excel("/workspace/two-sheets.xlsx", sheet_name="Monthly detail")',
    });
    expect(chosen.get("housing-preamble.csv")).toMatchObject({
      load: 'pd.read_csv("/workspace/housing-preamble.csv", header=None)',
      rows: 7,
    });

    // A file changed since the choice is read as detected again; a moved one drops its choice.
    await run(alice, "touch -d '2001-01-01' /workspace/housing-preamble.csv");
    await alice.caller.files.move({ from: "two-sheets.xlsx", to: "renamed.xlsx" });
    const after = await describe();
    expect(after.get("housing-preamble.csv")?.load).toBe('pd.read_csv("/workspace/housing-preamble.csv", skiprows=1)');
    expect(after.get("renamed.xlsx")).toMatchObject({ sheet: "Summary" });
    expect(Object.keys(await readChoicesOf(alice.id))).toEqual(["/workspace/housing-preamble.csv"]);
    await alice.caller.files.delete({ path: "housing-preamble.csv" });
    expect(await readChoicesOf(alice.id)).toEqual({});
  });
});
