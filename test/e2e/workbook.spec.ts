import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { AuthPage } from "./pages/auth-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";

// An Excel workbook in the preview: its sheets to pick from, the picked sheet's
// columns, and the pandas call that reads that sheet.

const PASSWORD = "tide-pool-e2e-password";
const WORKBOOK = fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/datasets/two-sheets.xlsx"));

test("a workbook's second sheet shows its own columns when picked", async ({ page }) => {
  test.setTimeout(SANDBOX_TIMEOUT_MS + 60_000);
  const workspace = new WorkspacePage(page);
  await new AuthPage(page).signUp(`sheets-${Date.now()}@example.com`, PASSWORD);
  await workspace.waitForSandbox();
  await page.getByTestId("upload-input").setInputFiles({
    name: "two-sheets.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: WORKBOOK,
  });
  await expect(workspace.fileRow("two-sheets.xlsx")).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  await workspace.openFile("two-sheets.xlsx");

  const picker = page.getByTestId("preview-sheet");
  await expect(picker).toHaveValue("Summary", { timeout: 30_000 });
  await expect(page.getByTestId("preview-column-0")).toContainText("region");
  await picker.selectOption("Monthly detail");
  await expect(page.getByTestId("preview-column-0")).toContainText("month");
  await expect(page.getByTestId("preview-column-2")).toContainText("note");
  expect(await workspace.previewColumn(1)).toEqual(["10", "12", "15"]);
  await expect(page.getByTestId("preview-pandas-code")).toHaveText(
    'pd.read_excel("/workspace/two-sheets.xlsx", sheet_name="Monthly detail")',
  );
});
