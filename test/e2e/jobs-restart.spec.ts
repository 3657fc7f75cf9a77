import { expect, type Page, test } from "@playwright/test";
import { type FakeRequest, isTitleRequest, textOf } from "../fixtures/fake-openai/server";
import { AuthPage } from "./pages/auth-page";
import { ChatPage, TURN_TIMEOUT_MS } from "./pages/chat-page";
import { JobsPage } from "./pages/jobs-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { updateModel } from "./support/model-setting";
import { PASSWORD } from "./support/accounts";
import { OwnApp } from "./support/own-app";

// What runs in the sandbox outlives the app: a Tidepool of its own (its own
// DATA_DIR, database and container scope) is killed outright while a
// background job runs and the kernel holds a variable, and started again.
// The job is still running with its output readable and growing, and the
// agent finds the variable, without being told that its variables are gone.

test.describe.configure({ mode: "serial" });

const RESET_NOTE = "variables from those messages are gone";
const TICKS = "i=0; while [ $i -lt 900 ]; do echo tick $i; i=$((i+1)); sleep 0.5; done";
let own: OwnApp;
let page: Page;

/** "remember" sets a variable in the kernel, "recall" prints it; a tool result is answered with its text. */
function responder(request: FakeRequest) {
  if (isTitleRequest(request)) return { text: "Kernel check" };
  const last = request.messages.at(-1);
  if (last?.role === "tool") return { text: `Done: ${textOf(last).trim().slice(0, 80)}` };
  if (textOf(last).includes("remember"))
    return { toolCalls: [{ name: "run_python", args: { code: "survivor = 6 * 7\nprint(survivor)" } }] };
  return { toolCalls: [{ name: "run_python", args: { code: "print(survivor)" } }] };
}

/** The highest tick the output shows. */
async function lastTick(jobs: JobsPage): Promise<number> {
  const ticks = [...((await jobs.output().textContent()) ?? "").matchAll(/tick (\d+)/g)].map((match) =>
    Number(match[1]),
  );
  return Math.max(-1, ...ticks);
}

test.beforeAll(async () => {
  own = await OwnApp.start("jobs-restart", responder);
});

test.afterAll(async () => {
  await own?.dispose();
});

test("a background job and the kernel's variables survive the app being killed and started again", async ({
  browser,
}) => {
  test.setTimeout(6 * 60_000);
  page = await own.openBrowser(browser);
  let before = -1;

  await test.step("a variable in the kernel, and a job started from the console", async () => {
    await new AuthPage(page).signUp(`jobs-restart-${Date.now()}@example.com`, PASSWORD);
    await updateModel(page.request, own.fake.url);
    await new WorkspacePage(page).waitForSandbox();
    const chat = new ChatPage(page);
    await chat.open();
    await chat.send("remember a number");
    await expect(chat.assistantMessages().last()).toContainText(/Done: stdout:\s*42/, { timeout: TURN_TIMEOUT_MS });
    await chat.waitForTurnEnd();

    const jobs = new JobsPage(page);
    await jobs.runInBackground(TICKS);
    await expect(jobs.output()).toContainText("tick 2", { timeout: 20_000 });
    before = await lastTick(jobs);
  });

  await test.step("the app is killed (web server and database) and started again", async () => {
    expect((await own.app.stop("SIGKILL")).signal).toBe("SIGKILL");
    await own.startAgain();
    page = await own.openBrowser(browser);
  });

  await test.step("the job still runs: its earlier output is there and it keeps growing", async () => {
    const workspace = new WorkspacePage(page);
    await workspace.goto();
    await workspace.waitForSandbox();
    const jobs = new JobsPage(page);
    await jobs.open();
    await expect(jobs.job(TICKS).getByTestId("job-running")).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
    await expect(jobs.output()).toContainText("tick 0\ntick 1\ntick 2", { timeout: 20_000 });
    await expect.poll(() => lastTick(jobs), { timeout: 30_000 }).toBeGreaterThan(before + 4);
  });

  await test.step("the agent finds the kernel's variable and is not told it is gone", async () => {
    const chat = new ChatPage(page);
    await chat.open();
    await page
      .getByTestId("chat-list")
      .locator('[data-testid^="chat-item-"]:not([data-testid^="chat-item-menu-"])')
      .first()
      .click();
    await expect(chat.userMessages()).toHaveText(["remember a number"]);
    const asked = own.fake.requests.length;
    await chat.send("recall the number");
    // The first answer says the same: wait for the second.
    await expect(chat.assistantMessages()).toHaveCount(2, { timeout: TURN_TIMEOUT_MS });
    await expect(chat.assistantMessages().last()).toContainText(/Done: stdout:\s*42/, { timeout: TURN_TIMEOUT_MS });
    await chat.waitForTurnEnd();
    const turn = own.fake.requests.slice(asked).filter((request) => !isTitleRequest(request));
    expect(turn.length).toBeGreaterThan(0);
    for (const request of turn) expect(textOf(request.messages[0])).not.toContain(RESET_NOTE);
  });

  await test.step("the job is stopped from the Jobs tab", async () => {
    const jobs = new JobsPage(page);
    await jobs.open();
    const row = jobs.job(TICKS);
    await row.getByTestId("job-stop").click();
    await expect(row.getByTestId("job-exit")).toBeVisible({ timeout: 20_000 });
  });
});
