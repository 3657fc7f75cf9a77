import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { AuthPage } from "./pages/auth-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { PASSWORD } from "./support/accounts";

function uniqueEmail(): string {
  return `analyst-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

test("a CSV uploaded to the workspace previews as a table, is counted in the console and is still there after signing in again", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const auth = new AuthPage(page);
  const workspace = new WorkspacePage(page);
  const email = uniqueEmail();
  const fileName = `churn-${Date.now()}.csv`;
  const csv =
    [
      "customer,plan,monthly_spend,churned",
      "Ada,pro,42.50,no",
      '"Lovelace, Ada",basic,9.99,yes',
      "Grace,pro,51.00,no",
    ].join("\n") + "\n";

  await auth.signUp(email, PASSWORD);
  await expect(page.getByTestId("user-menu")).toContainText(email);
  await workspace.waitForSandbox();

  await workspace.upload(fileName, csv, "text/csv");
  // The workspace is its own disk of the default 1 GB quota (ext4 keeps a little of it).
  await expect(page.getByTestId("disk-usage-text")).toHaveText(/^[\d.]+ (B|KB|MB) of 9\d\d MB used$/);
  await workspace.openFile(fileName);
  const table = workspace.previewTable();
  await expect(table).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  await expect(table.locator("thead")).toContainText("monthly_spend");
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await expect(table.locator("tbody")).toContainText("Lovelace, Ada");
  await expect(workspace.previewRowCount()).toContainText("3 rows");

  const run = await workspace.runCommand(`wc -l ${fileName}`);
  await expect(run).toContainText(`4 ${fileName}`);
  await expect(run.getByTestId("console-exit-code")).toHaveAttribute("data-exit-code", "0");

  await workspace.signOut();
  await auth.expectOnSignIn();
  await workspace.goto();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fworkspace|\/sign-in\?callbackUrl=\/workspace/);

  await auth.signIn(email, PASSWORD);
  await workspace.waitForSandbox();
  await expect(workspace.fileRow(fileName)).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  await workspace.openFile(fileName);
  await expect(workspace.previewTable().locator("tbody tr")).toHaveCount(3, { timeout: SANDBOX_TIMEOUT_MS });
  await expect(workspace.previewTable()).toContainText("Grace");
});

test("a CSV whose first line is a # comment previews with its real columns, and the user can change how it is read", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const auth = new AuthPage(page);
  const workspace = new WorkspacePage(page);
  const email = uniqueEmail();
  const fileName = `stocks-${Date.now()}.csv`;
  const csv = fs.readFileSync(path.join("test", "fixtures", "datasets", "stocks-comment.csv"), "utf8");

  await auth.signUp(email, PASSWORD);
  await expect(page.getByTestId("user-menu")).toContainText(email);
  await workspace.waitForSandbox();
  await workspace.upload(fileName, csv, "text/csv");
  await workspace.openFile(fileName);
  const table = workspace.previewTable();
  await expect(table).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  // The row-number column and the 11 columns under the comment line.
  await expect(table.locator("thead th")).toHaveCount(12);
  await expect(table.locator("thead")).toContainText("INTC");
  await expect(workspace.previewRowCount()).toContainText("4 rows");
  const pandas = page.getByTestId("preview-pandas-code");
  await expect(pandas).toHaveText(`pd.read_csv("/workspace/${fileName}", comment="#")`);

  await page.getByTestId("preview-header").click();
  await expect(pandas).toHaveText(`pd.read_csv("/workspace/${fileName}", header=None, comment="#")`, {
    timeout: SANDBOX_TIMEOUT_MS,
  });
  await expect(table.locator("tbody")).toContainText("AAPL");
});

test("files: a new folder takes a dropped file, which previews, renames and survives a sandbox stop, then deletes", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const auth = new AuthPage(page);
  const workspace = new WorkspacePage(page);
  await auth.signUp(uniqueEmail(), PASSWORD);
  await workspace.waitForSandbox();

  await workspace.newFolder("reports");
  await workspace.dropFiles("reports", [{ name: "q3.txt", content: "revenue up\nchurn down\n" }]);
  await workspace.openFile("q3.txt");
  await expect(page.getByTestId("preview-text")).toContainText("churn down", { timeout: SANDBOX_TIMEOUT_MS });

  await workspace.rename("q3.txt", "q3-final.txt");
  await expect(page.getByTestId("preview-title")).toHaveText("q3-final.txt");

  await workspace.stopSandbox();
  await workspace.startSandbox();
  await expect(workspace.fileRow("q3-final.txt")).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  await expect(page.getByTestId("preview-text")).toContainText("revenue up", { timeout: SANDBOX_TIMEOUT_MS });

  await workspace.delete("q3-final.txt");
  await expect(page.getByTestId("preview-empty")).toBeVisible();
});
