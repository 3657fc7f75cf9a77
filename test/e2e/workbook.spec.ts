import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { type FakeOpenAI, isTitleRequest, startFakeOpenAI, textOf } from "../fixtures/fake-openai/server";
import { AuthPage } from "./pages/auth-page";
import { ChatPage, TURN_TIMEOUT_MS } from "./pages/chat-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { setModel } from "./support/model-setting";
import { PASSWORD } from "./support/accounts";

// An Excel workbook in the preview: its sheets to pick from, the picked sheet's
// columns, and the pandas call that reads that sheet. The sheet picked is
// remembered: the agent's workspace summary names it too, and the preview
// opens on it again.

const WORKBOOK = fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/datasets/two-sheets.xlsx"));
const OLD_WORKBOOK = fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/datasets/two-sheets.xls"));
const PICKED_CALL = 'pd.read_excel("/workspace/two-sheets.xlsx", sheet_name="Monthly detail")';

let fake: FakeOpenAI;

test.beforeAll(async () => {
  fake = await startFakeOpenAI(() => ({ text: "The monthly sheet has three months." }));
});

test.afterAll(async () => {
  await fake.close();
});

test("a workbook's second sheet shows its own columns when picked, and the agent is told to load that sheet", async ({
  page,
}) => {
  test.setTimeout(SANDBOX_TIMEOUT_MS + TURN_TIMEOUT_MS + 60_000);
  const workspace = new WorkspacePage(page);
  const chat = new ChatPage(page);
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
  const remembered = page.waitForResponse((response) => response.url().includes("files.rememberRead"));
  await picker.selectOption("Monthly detail");
  expect((await remembered).status()).toBe(200);
  await expect(page.getByTestId("preview-column-0")).toContainText("month");
  await expect(page.getByTestId("preview-column-2")).toContainText("note");
  expect(await workspace.previewColumn(1)).toEqual(["10", "12", "15"]);
  await expect(page.getByTestId("preview-pandas-code")).toHaveText(PICKED_CALL);

  // Opened again after a reload, the preview shows the sheet the user picked.
  await page.reload();
  await workspace.openFile("two-sheets.xlsx");
  await expect(picker).toHaveValue("Monthly detail", { timeout: 30_000 });
  await expect(page.getByTestId("preview-pandas-code")).toHaveText(PICKED_CALL);

  await setModel(fake.url);
  try {
    await chat.open();
    await chat.send("What is in my workbook?");
    await expect(chat.assistantMessages().last()).toContainText("three months", { timeout: TURN_TIMEOUT_MS });
    const step = fake.requests.find((request) => !isTitleRequest(request));
    const system = textOf(step?.messages.find((message) => message.role === "system"));
    expect(system).toContain(`load with: ${PICKED_CALL}`);
    expect(system).toContain("sheets: Summary, Monthly detail (Monthly detail described)");
    await chat.waitForTurnEnd();
  } finally {
    await setModel(null);
  }
});

test("an old .xls workbook previews its sheets and says why pandas here can't load it", async ({ page }) => {
  test.setTimeout(SANDBOX_TIMEOUT_MS + 60_000);
  const workspace = new WorkspacePage(page);
  await new AuthPage(page).signUp(`xls-${Date.now()}@example.com`, PASSWORD);
  await workspace.waitForSandbox();
  await page
    .getByTestId("upload-input")
    .setInputFiles({ name: "two-sheets.xls", mimeType: "application/vnd.ms-excel", buffer: OLD_WORKBOOK });
  await expect(workspace.fileRow("two-sheets.xls")).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  await workspace.openFile("two-sheets.xls");
  await expect(page.getByTestId("preview-sheet")).toHaveValue("Summary", { timeout: 30_000 });
  expect(await workspace.previewColumn(0)).toEqual(["north", "south", "Zürich"]);
  await page.getByTestId("preview-sheet").selectOption("Monthly detail");
  await expect(page.getByTestId("preview-column-2")).toContainText("note");
  await expect(page.getByTestId("preview-xls-note")).toContainText("xlrd 2.0.1");
  await expect(page.getByTestId("preview-pandas")).toHaveCount(0);
});
