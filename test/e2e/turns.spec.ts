import { expect, type Page, test } from "@playwright/test";
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

// A turn is a job on the server, not a request: the answer keeps coming when
// the page that asked is closed or reloaded, another page (or a reload) shows
// the turn so far and then live, the chat list says which chats are working
// and a toast says when one ends elsewhere, and Stop from any page stops the
// model and the code it runs. The model is the fake OpenAI-compatible server.

test.describe.configure({ mode: "serial" });

/**
 * A step that runs until the test wakes it (by uploading the file it waits
 * for), so "still running" holds however long a page takes to open. It prints
 * first: a step shows "running" once it has output.
 */
const nap = (wakeFile: string) =>
  `import os, time\nprint('napping', flush=True)\nend = time.time() + 100\nwhile not os.path.exists('/workspace/${wakeFile}') and time.time() < end:\n    time.sleep(0.2)\nprint('nap-over')`;
/** Long enough that only a real interrupt ends it within the test. */
const LONG_SLEEP = "import time\nT0 = time.time()\nprint('sleeping', flush=True)\ntime.sleep(90)\nprint('slept' + '-through')";
const SINCE_START = "print('since-start', round(time.time() - T0))";

/** What the fake model answers once a nap ended (it quotes the tool's output). */
const NAP_ANSWER = /Done: stdout:\s*napping\s*nap-over/;

/** "nap": a Python step the test ends, then an answer; "long sleep": a 90 s step; "how long": reads the kernel's clock. */
function respond(request: FakeRequest) {
  if (isTitleRequest(request)) return { text: "Naps" };
  const question = textOf(request.messages.findLast((message) => message.role === "user"));
  const last = request.messages.at(-1);
  const code = question.includes("long sleep")
    ? LONG_SLEEP
    : question.includes("how long")
      ? SINCE_START
      : nap(question.includes("another") ? "wake-2" : "wake-1");
  if (last?.role === "tool") return { text: `Done: ${textOf(last).slice(0, 200)}` };
  return { toolCalls: [{ name: "run_python", args: { code } }] };
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

/** Ends the napping step that waits for this file. */
async function wake(page: Page, wakeFile: string): Promise<void> {
  const response = await page.request.put(`/api/files/upload?path=/workspace/${wakeFile}`, { data: "go" });
  expect(response.status(), await response.text()).toBe(201);
}

async function openChat(page: Page, chatId: string): Promise<ChatPage> {
  await page.goto(`/workspace?chat=${chatId}`);
  const chat = new ChatPage(page);
  await chat.open();
  await expect(page.getByTestId("chat-conversation")).toHaveAttribute("data-chat-id", chatId);
  return chat;
}

test("a turn outlives its page, reattaches anywhere, and Stop from another page stops it", async ({
  page,
  context,
}) => {
  test.setTimeout(SANDBOX_TIMEOUT_MS + 6 * TURN_TIMEOUT_MS);
  await new AuthPage(page).signUp(unique("turns"), PASSWORD);
  await new WorkspacePage(page).waitForSandbox();
  let chat = new ChatPage(page);
  await chat.open();

  let chatId = "";
  await test.step("close the page mid-step: a new page shows the step still running, then the answer", async () => {
    await chat.send("Take a nap");
    await expect(chat.toolSteps("run_python").last()).toHaveAttribute("data-status", "running", {
      timeout: TURN_TIMEOUT_MS,
    });
    chatId = chat.chatId()!;
    await page.close();

    page = await context.newPage();
    chat = await openChat(page, chatId);
    await expect(chat.userMessages()).toHaveText(["Take a nap"]);
    await expect(chat.toolSteps("run_python").last()).toHaveAttribute("data-status", "running");
    await wake(page, "wake-1");
    await expect(chat.assistantMessages().last()).toContainText(NAP_ANSWER, { timeout: TURN_TIMEOUT_MS });
    await expect(chat.toolSteps("run_python").last()).toHaveAttribute("data-status", "done");
    await chat.waitForTurnEnd();
  });

  await test.step("reload mid-step: the turn comes back live, and ends with a toast while the user is in another chat", async () => {
    await chat.send("Take another nap");
    await expect(chat.toolSteps("run_python")).toHaveCount(2, { timeout: TURN_TIMEOUT_MS });
    await expect(chat.toolSteps("run_python").last()).toHaveAttribute("data-status", "running", {
      timeout: TURN_TIMEOUT_MS,
    });
    await page.reload();
    await chat.open();
    await expect(chat.toolSteps("run_python").last()).toHaveAttribute("data-status", "running");
    await expect(page.getByTestId(`chat-item-running-${chatId}`)).toBeVisible();

    await chat.startNew();
    await wake(page, "wake-2");
    await expect(page.getByTestId("toast-success")).toContainText("has its answer", { timeout: TURN_TIMEOUT_MS });
    await expect(page.getByTestId(`chat-item-running-${chatId}`)).toHaveCount(0);
    await chat.listItem(chatId).click();
    await expect(chat.assistantMessages().last()).toContainText(NAP_ANSWER);
  });

  await test.step("Stop from a second page stops the model and the Python code it runs", async () => {
    await chat.send("Now a long sleep");
    const running = chat.toolSteps("run_python").last();
    await expect(chat.toolSteps("run_python")).toHaveCount(3, { timeout: TURN_TIMEOUT_MS });
    await expect(running).toHaveAttribute("data-status", "running", { timeout: TURN_TIMEOUT_MS });

    const second = await context.newPage();
    const other = await openChat(second, chatId);
    await expect(other.toolSteps("run_python").last()).toHaveAttribute("data-status", "running");
    await second.getByTestId("chat-stop").click();
    await expect(other.assistantMessages().last().getByTestId("chat-stopped")).toBeVisible({ timeout: 30_000 });
    await other.waitForTurnEnd();
    // The first page hears it too.
    await expect(chat.assistantMessages().last().getByTestId("chat-stopped")).toBeVisible({ timeout: 30_000 });
    await expect(running).toHaveAttribute("data-status", "stopped");

    // The kernel is free at once: a 90 s sleep that was still running would hold this step until it ended.
    await other.send("how long since the start?");
    const answer = other.assistantMessages().last();
    await expect(answer).toContainText("Done:", { timeout: TURN_TIMEOUT_MS });
    const elapsed = Number(/since-start (\d+)/.exec(await answer.innerText())?.[1]);
    expect(elapsed).toBeLessThan(60);
    await expect(second.getByText("slept-through")).toHaveCount(0);
    await second.close();
  });
});
