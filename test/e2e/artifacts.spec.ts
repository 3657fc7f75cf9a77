import { expect, test } from "@playwright/test";
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI } from "../fixtures/fake-openai/server";
import { AuthPage } from "./pages/auth-page";
import { ChatPage, TURN_TIMEOUT_MS } from "./pages/chat-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { setModel } from "./support/model-setting";
import { PASSWORD, unique } from "./support/accounts";

// Charts are kept with the conversation: the agent plots, the user tidies the
// workspace by deleting the figures folder, and the old chat still shows the chart.

test.describe.configure({ mode: "serial" });

function plotter(request: FakeRequest) {
  if (request.messages.at(-1)?.role === "tool") return { text: "Here is the chart of the series." };
  return {
    toolCalls: [
      {
        name: "run_python",
        args: { code: "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [2, 3, 1], marker='o')" },
      },
    ],
  };
}

let fake: FakeOpenAI;

test.beforeAll(async () => {
  fake = await startFakeOpenAI(plotter);
});

test.afterAll(async () => {
  await fake.close();
});

test("after the figures folder is deleted, the old chat still shows its chart", async ({ page }) => {
  test.setTimeout(SANDBOX_TIMEOUT_MS + 3 * TURN_TIMEOUT_MS);
  const workspace = new WorkspacePage(page);
  const chat = new ChatPage(page);
  await new AuthPage(page).signUp(unique("kept"), PASSWORD);
  await setModel(fake.url);
  try {
    await workspace.waitForSandbox();
    await chat.open();
    await chat.send("Plot the series");
    const step = chat.toolSteps("run_python").first();
    await expect(step).toHaveAttribute("data-status", "done", { timeout: TURN_TIMEOUT_MS });
    await chat.expectImageLoaded(await chat.originalFigure(step));
    await chat.waitForTurnEnd();
    const chatId = chat.chatId();
    await expect
      .poll(async () => (await chat.savedMessages(chatId)).map((message) => message.role).join(","), { timeout: 30_000 })
      .toBe("user,assistant");

    await expect(workspace.fileRow("figures")).toBeVisible({ timeout: 30_000 });
    await workspace.delete("figures");

    await page.reload();
    await expect(chat.listItem(chatId!)).toHaveAttribute("aria-current", "page", { timeout: 30_000 });
    const figure = await chat.originalFigure(chat.toolSteps("run_python").first());
    await chat.expectImageLoaded(figure);
    await expect(figure).toHaveAttribute("src", new RegExp(`^/api/chats/${chatId}/figure\\?`));
    await expect(page.getByTestId("tool-figure-missing")).toHaveCount(0);
    await expect(workspace.fileRow("figures")).toHaveCount(0);
  } finally {
    await setModel(null);
  }
});
