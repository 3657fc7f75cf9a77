import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import {
  type FakeOpenAI,
  type FakeRequest,
  isTitleRequest,
  startFakeOpenAI,
  textOf,
} from "../fixtures/fake-openai/server";
import { AuthPage } from "./pages/auth-page";
import { ChatPage, TURN_TIMEOUT_MS } from "./pages/chat-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { setModel } from "./support/model-setting";
import { PASSWORD, unique } from "./support/accounts";

// Rich outputs: the agent's bar chart is drawn interactively (hover and keys
// read a bar's value), the conversation downloads as a notebook, and the
// gallery lists the chart and leads back to the message that made it.

test.describe.configure({ mode: "serial" });

const BAR_CODE = [
  "import matplotlib.pyplot as plt",
  "plt.bar(['north', 'south', 'east'], [12, 30, 7])",
  "plt.title('Units by region')",
  "plt.ylabel('units')",
].join("\n");
const LONG_ANSWER = Array.from({ length: 60 }, (_, index) => `Point ${index + 1}: a paragraph about the regions.`).join("\n\n");

function analyst(request: FakeRequest) {
  if (isTitleRequest(request)) return { text: "Units by region" };
  if (request.messages.at(-1)?.role === "tool") return { text: "South sells the most units." };
  const question = textOf(request.messages.at(-1));
  if (question.startsWith("Plot")) return { toolCalls: [{ name: "run_python", args: { code: BAR_CODE } }] };
  return { text: LONG_ANSWER };
}

let fake: FakeOpenAI;

test.beforeAll(async () => {
  fake = await startFakeOpenAI(analyst);
});

test.afterAll(async () => {
  await fake.close();
});

test("a bar chart is interactive, the chat downloads as a notebook, and the gallery leads back to the chart's message", async ({
  page,
}) => {
  test.setTimeout(SANDBOX_TIMEOUT_MS + 4 * TURN_TIMEOUT_MS);
  const workspace = new WorkspacePage(page);
  const chat = new ChatPage(page);
  await new AuthPage(page).signUp(unique("outputs"), PASSWORD);
  await setModel(fake.url);
  try {
    await workspace.waitForSandbox();
    await chat.open();
    await chat.send("Plot units by region");
    const step = chat.toolSteps("run_python").first();
    await expect(step).toHaveAttribute("data-status", "done", { timeout: TURN_TIMEOUT_MS });

    await test.step("hovering a bar shows its value; the keyboard reads them too", async () => {
      await expect(step.getByTestId("figure-chart")).toBeVisible();
      await expect(step.getByTestId("figure-chart")).toContainText("Units by region");
      await step.locator('[data-testid="chart-bar"][data-label="south"]').hover();
      await expect(step.getByTestId("chart-tooltip")).toHaveText("south: 30");
      await page.mouse.move(0, 0);
      await expect(step.getByTestId("chart-tooltip")).toHaveCount(0);
      await step.getByTestId("chart-plot").focus();
      await page.keyboard.press("ArrowRight");
      await expect(step.getByTestId("chart-tooltip")).toHaveText("north: 12");
      // The original PNG is one click away.
      await chat.expectImageLoaded(await chat.originalFigure(step));
    });

    await chat.waitForTurnEnd();
    const chatId = chat.chatId();
    await expect
      .poll(async () => (await chat.savedMessages(chatId)).map((message) => message.role).join(","), { timeout: 30_000 })
      .toBe("user,assistant");

    await test.step("the notebook download holds the code cell and its chart", async () => {
      await page.getByTestId("chat-export-open").click();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByTestId("chat-export-ipynb").click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.ipynb$/);
      const notebook = JSON.parse(await readFile(await download.path(), "utf8")) as {
        nbformat: number;
        cells: {
          cell_type: string;
          source: string[];
          outputs?: { output_type: string; data?: Record<string, unknown> }[];
        }[];
      };
      expect(notebook.nbformat).toBe(4);
      const code = notebook.cells.filter((cell) => cell.cell_type === "code");
      expect(code.map((cell) => cell.source.join(""))).toEqual([BAR_CODE]);
      expect(code[0]?.outputs?.some((output) => typeof output.data?.["image/png"] === "string")).toBe(true);
    });

    await test.step("the gallery lists the chart with its code and scrolls back to its message", async () => {
      await chat.send("Tell me more");
      await expect(chat.assistantMessages().last()).toContainText("Point 60: a paragraph about the regions.", {
        timeout: TURN_TIMEOUT_MS,
      });
      await chat.waitForTurnEnd();
      const chartMessage = chat.assistantMessages().first();
      await expect(chartMessage).not.toBeInViewport();

      await page.getByTestId("chat-gallery-open").click();
      const item = page.getByTestId("chat-gallery-item");
      await expect(item).toHaveCount(1);
      await expect(item).toHaveAttribute("data-kind", "figure");
      await item.getByTestId("chat-gallery-code-toggle").click();
      await expect(item.getByTestId("chat-gallery-code")).toContainText(
        "plt.bar(['north', 'south', 'east'], [12, 30, 7])",
      );
      await item.getByTestId("chat-gallery-goto").click();
      await expect(page.getByTestId("chat-gallery")).toHaveCount(0);
      await expect(chartMessage).toBeInViewport();
      await expect(chartMessage.getByTestId("figure-card")).toBeVisible();
    });
  } finally {
    await setModel(null);
  }
});
