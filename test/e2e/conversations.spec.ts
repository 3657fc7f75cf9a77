import { expect, test } from "@playwright/test";
import { type FakeOpenAI, type FakeRequest, isTitleRequest, startFakeOpenAI, textOf } from "../fixtures/fake-openai/server";
import { AuthPage } from "./pages/auth-page";
import { ChatPage, TURN_TIMEOUT_MS } from "./pages/chat-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { setModel } from "./support/model-setting";
import { PASSWORD, unique } from "./support/accounts";

// Conversations as an analyst comes back to them: a plain visit reopens the
// last one (with the title the model gave it), Stop leaves "Stopped" under
// what was done (also after a reload), and search finds a chat by a word from
// its messages. The model is the fake OpenAI-compatible server on loopback.

test.describe.configure({ mode: "serial" });

const SLOW_ANSWER = "Partial findings so far: the slow job printed its first step. ".repeat(30);

/** Titles chats; runs one command then answers slowly for "slow job"; answers at once otherwise. */
function respond(request: FakeRequest) {
  if (isTitleRequest(request)) return { text: textOf(request.messages.at(-1)).includes("quarterly") ? "Quarterly margins by region" : "Slow job run" };
  const question = textOf(request.messages.findLast((message) => message.role === "user"));
  if (question.includes("slow job")) {
    if (request.messages.at(-1)?.role === "tool") return { text: SLOW_ANSWER, chunkDelayMs: 150 };
    return { toolCalls: [{ name: "execute", args: { command: "echo step-one-done" } }] };
  }
  return { text: "The quarterly margins are highest in the north-east region (tidewater-kiwi)." };
}

let fake: FakeOpenAI;

test.beforeAll(async () => {
  fake = await startFakeOpenAI(respond);
  await setModel(fake.url);
});

test.afterAll(async () => {
  await setModel(null);
  await fake.close();
});

test("the last conversation reopens on a plain /workspace visit, Stop shows what was done, and search finds a chat by its words", async ({ page }) => {
  test.setTimeout(SANDBOX_TIMEOUT_MS + 3 * TURN_TIMEOUT_MS);
  const workspace = new WorkspacePage(page);
  const chat = new ChatPage(page);
  await new AuthPage(page).signUp(unique("conversations"), PASSWORD);
  await workspace.waitForSandbox();

  let firstId: string | null = null;
  await test.step("a first chat gets a model-made title and reopens on a plain visit", async () => {
    await chat.open();
    await expect(page.getByTestId("chat-empty")).toBeVisible();
    await chat.send("Compare the quarterly margins per region");
    await expect(chat.assistantMessages().last()).toContainText("north-east region", { timeout: TURN_TIMEOUT_MS });
    await chat.waitForTurnEnd();
    firstId = chat.chatId();
    expect(firstId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(chat.listItem(firstId!)).toContainText("Quarterly margins by region", { timeout: 30_000 });

    await page.goto("/workspace");
    await chat.open();
    await expect(page.getByTestId("chat-conversation")).toHaveAttribute("data-chat-id", firstId!);
    expect(chat.chatId()).toBe(firstId);
    await expect(chat.userMessages()).toHaveText(["Compare the quarterly margins per region"]);
    await expect(page.getByTestId("chat-title")).toHaveText("Quarterly margins by region");
  });

  let slowId: string | null = null;
  await test.step("Stop leaves the finished step and the partial answer, marked Stopped", async () => {
    await chat.startNew();
    await chat.send("Run the slow job please");
    const step = chat.toolSteps("execute").first();
    await expect(step).toHaveAttribute("data-status", "done", { timeout: TURN_TIMEOUT_MS });
    const reply = chat.assistantMessages().last();
    await expect(reply).toContainText("Partial findings so far", { timeout: TURN_TIMEOUT_MS });
    await page.getByTestId("chat-stop").click();
    await expect(reply.getByTestId("chat-stopped")).toBeVisible();
    await expect(reply.getByTestId("chat-stopped")).toContainText("Stopped");
    await chat.waitForTurnEnd();
    slowId = chat.chatId();

    // Saved as it stood: after a reload the step, the partial text and "Stopped" are still there.
    await expect
      .poll(async () => (await chat.savedMessages(slowId)).at(-1)?.metadata?.stopped ?? false, { timeout: 30_000 })
      .toBe(true);
    await page.reload();
    await expect(page.getByTestId("chat-conversation")).toHaveAttribute("data-chat-id", slowId!);
    await expect(chat.toolSteps("execute")).toHaveAttribute("data-status", "done");
    const saved = chat.assistantMessages().last();
    await expect(saved).toContainText("Partial findings so far");
    await expect(saved.getByTestId("chat-stopped")).toBeVisible();
    expect((await saved.innerText()).length).toBeLessThan(SLOW_ANSWER.length);
  });

  await test.step("search finds the first chat by a word from its answer, and opens it", async () => {
    await page.getByTestId("chat-search").fill("TIDEWATER-kiwi");
    const result = page.getByTestId(`chat-search-result-${firstId}`);
    await expect(result).toBeVisible();
    await expect(result).toContainText("tidewater-kiwi");
    await expect(page.getByTestId(`chat-search-result-${slowId}`)).toHaveCount(0);
    await result.click();
    await expect(page.getByTestId("chat-conversation")).toHaveAttribute("data-chat-id", firstId!);
    await expect(chat.userMessages()).toHaveText(["Compare the quarterly margins per region"]);

    await page.getByTestId("chat-search").fill("no chat says this");
    await expect(page.getByTestId("chat-search-empty")).toBeVisible();
    await page.getByTestId("chat-search-clear").click();
    await expect(chat.listItem(slowId!)).toBeVisible();
  });
});
