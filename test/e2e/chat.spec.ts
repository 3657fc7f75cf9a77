import { expect, test } from "@playwright/test";
import { type FakeOpenAI, type FakeRequest, isTitleRequest, startFakeOpenAI, textOf } from "../fixtures/fake-openai/server";
import { AuthPage } from "./pages/auth-page";
import { ChatPage, TURN_TIMEOUT_MS } from "./pages/chat-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { setModel } from "./support/model-setting";
import { PASSWORD, unique } from "./support/accounts";

// The chat end to end against a fake OpenAI-compatible model on loopback:
// with no model configured the chat says how to fix it while the rest of the
// workspace works; then an admin points the app at the fake model, a user
// uploads a CSV and asks for a chart, the model calls run_python to load and
// plot it, the chart shows inline and lands in the file tree, and a reload
// brings the conversation back, chart included. The model setting is global,
// so the tests run in this order.

test.describe.configure({ mode: "serial" });

/** Points the app at a model (or at none), as the admin the setup project made. */
/** Loads the CSV and plots a column on the first request; answers in text once it has read the tool result. */
function analyst(csvName: string) {
  const code = [
    "import pandas as pd",
    `df = pd.read_csv(${JSON.stringify(csvName)})`,
    "df.plot(x='month', y='revenue', title='Revenue by month', marker='o')",
    "df",
  ].join("\n");
  return (request: FakeRequest) => {
    const last = request.messages.at(-1);
    if (last?.role === "tool") return { text: "Revenue rises every month, from 100 to 210. The chart is saved in `figures/`." };
    return { toolCalls: [{ name: "run_python", args: { code } }] };
  };
}

test("with no model configured, the chat says how to fix it and the rest of the workspace still works", async ({ page }) => {
  test.skip(!!process.env.MODEL_PROVIDER && !!process.env.MODEL_NAME, "a model is configured through the environment");
  test.setTimeout(180_000);
  const workspace = new WorkspacePage(page);
  const chat = new ChatPage(page);

  await new AuthPage(page).signUp(unique("nomodel"), PASSWORD);
  await chat.open();
  await expect(page.getByTestId("chat-empty")).toBeVisible();
  await chat.send("Summarise my data");

  await expect(chat.noModelCard()).toBeVisible({ timeout: 30_000 });
  await expect(chat.noModelCard()).toContainText("No AI model is configured yet");
  await expect(chat.noModelCard()).toContainText("Admin → Settings");
  // Nothing was saved: the message went back to the composer, ready to send again.
  await expect(chat.input()).toHaveValue("Summarise my data");
  await expect(chat.userMessages()).toHaveCount(0);

  // The rest of the workspace works without a model.
  await workspace.waitForSandbox();
  const run = await workspace.runCommand("echo files-and-console-work");
  await expect(run).toContainText("files-and-console-work");
  await expect(run.getByTestId("console-exit-code")).toHaveAttribute("data-exit-code", "0");
});

test.describe("with the fake model configured", () => {
  let fake: FakeOpenAI;
  const csvName = `revenue-${Date.now()}.csv`;

  test.beforeAll(async () => {
    fake = await startFakeOpenAI(analyst(csvName));
  });

  test.afterAll(async () => {
    await fake.close();
  });

  test("a chart the agent plots from an uploaded CSV appears inline, lands in the file tree and survives a reload; the chat renames and deletes", async ({ page }) => {
    test.setTimeout(SANDBOX_TIMEOUT_MS + 3 * TURN_TIMEOUT_MS);
    const workspace = new WorkspacePage(page);
    const chat = new ChatPage(page);
    const email = unique("chart");
    const prompt = `Load ${csvName} and plot revenue by month`;

    await test.step("a user signs up; an admin points the app at the fake model", async () => {
      await new AuthPage(page).signUp(email, PASSWORD);
      await setModel(fake.url);
    });

    try {
      await test.step("uploads a CSV and asks for a chart", async () => {
        await workspace.waitForSandbox();
        const csv = ["month,revenue", "2024-01,100", "2024-02,130", "2024-03,170", "2024-04,210"].join("\n") + "\n";
        await workspace.upload(csvName, csv, "text/csv");
        await chat.open();
        await chat.send(prompt);
        await expect(chat.userMessages().last()).toHaveText(prompt);
      });

      await test.step("the model's run_python step shows the code, the chart inline and the table", async () => {
        const step = chat.toolSteps("run_python").first();
        await expect(step).toHaveAttribute("data-status", "done", { timeout: TURN_TIMEOUT_MS });
        await chat.expectImageLoaded(await chat.originalFigure(step));
        await expect(step.getByTestId("tool-table")).toContainText("4 rows");
        await expect(chat.assistantMessages().last()).toContainText("Revenue rises every month", { timeout: TURN_TIMEOUT_MS });
        await chat.waitForTurnEnd();
        // The code is one click away.
        await step.getByTestId("tool-step-toggle").click();
        await expect(step.getByTestId("tool-code")).toContainText(`pd.read_csv("${csvName}")`);

        // The model saw the user's question, then the tool's result (a title request may follow the turn).
        const steps = fake.requests.filter((request) => !isTitleRequest(request));
        expect(textOf(steps[0]?.messages.at(-1))).toBe(prompt);
        expect(steps.at(-1)?.messages.at(-1)?.role).toBe("tool");
      });

      const chatId = chat.chatId();
      expect(chatId, "the open conversation's id is in the address").toMatch(/^[0-9a-f-]{36}$/);
      const src = (await chat.figures().first().getAttribute("src")) ?? "";
      const figurePath = new URL(src, "http://x").searchParams.get("path") ?? "";
      const figureName = figurePath.split("/").at(-1) ?? "";
      expect(figurePath).toMatch(/^\/workspace\/figures\/.+\.png$/);

      await test.step("the PNG is in the file tree, under figures", async () => {
        await expect(workspace.fileRow("figures")).toBeVisible({ timeout: 30_000 });
        await workspace.fileRow("figures").click();
        await expect(workspace.fileRow(figureName)).toBeVisible({ timeout: 30_000 });
        await expect(workspace.fileRow(figureName)).toHaveAttribute("data-path", figurePath);
      });

      await test.step("after a reload the conversation, its step and the chart are still there", async () => {
        // The reply is saved when its stream ends; wait until the server has it.
        await expect
          .poll(async () => (await chat.savedMessages(chatId)).map((message) => message.role).join(","), { timeout: 30_000 })
          .toBe("user,assistant");
        await page.reload();
        await expect(chat.listItem(chatId!)).toBeVisible({ timeout: 30_000 });
        await expect(chat.listItem(chatId!)).toHaveAttribute("aria-current", "page");
        await expect(chat.userMessages()).toHaveText([prompt]);
        const step = chat.toolSteps("run_python");
        await expect(step).toHaveCount(1);
        await expect(step).toHaveAttribute("data-status", "done");
        await chat.expectImageLoaded(await chat.originalFigure(step));
        await expect(chat.figures().first()).toHaveAttribute("src", src);
        await expect(chat.assistantMessages().last()).toContainText("Revenue rises every month");
      });

      await test.step("the conversation can be renamed, left for a new one, and deleted after a confirm", async () => {
        await page.getByTestId(`chat-item-menu-${chatId}`).click();
        await page.getByTestId("chat-rename").click();
        const name = page.getByTestId("chat-rename-input");
        await expect(name).toBeFocused();
        await name.fill("Revenue chart");
        await name.press("Enter");
        await expect(chat.listItem(chatId!)).toContainText("Revenue chart");
        await expect(page.getByTestId("chat-title")).toHaveText("Revenue chart");

        await chat.startNew();
        expect(chat.chatId()).toBeNull();

        await page.getByTestId(`chat-item-menu-${chatId}`).click();
        await page.getByTestId("chat-delete").click();
        await expect(page.getByTestId("chat-delete-confirm")).toContainText("Revenue chart");
        await page.getByTestId("chat-delete-confirm-confirm").click();
        await expect(chat.listItem(chatId!)).toHaveCount(0);
        // The chart stays in the workspace.
        await expect(workspace.fileRow("figures")).toBeVisible();
      });
    } finally {
      // Leave the platform as it was: no model configured.
      await setModel(null);
    }
  });
});
