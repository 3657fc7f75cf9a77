import fs from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { type FakeRequest, textOf } from "../fixtures/fake-openai/server";
import { AuthPage } from "./pages/auth-page";
import { ChatPage, TURN_TIMEOUT_MS } from "./pages/chat-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { updateModel } from "./support/model-setting";
import { AppProcess } from "../fixtures/app-process";
import { PASSWORD } from "./support/accounts";
import { OwnApp } from "./support/own-app";

// Restarts and crashes are ordinary events. A Tidepool of its own (its own
// DATA_DIR, embedded database and container scope), started by `npm start`'s
// own code: a user signs up, uploads, chats and switches runtime; the app is
// stopped as Ctrl+C stops it and started again, then killed outright
// mid-turn and started again. Nothing committed is lost (the interrupted
// turn's finished steps included, marked interrupted), the user's sandbox is
// adopted rather than recreated, and no container is left without an owner.

test.describe.configure({ mode: "serial" });

const email = `restart-${Date.now()}@example.com`;
let own: OwnApp;
let page: Page;

/** Counts rows with `wc -l`; a message containing "slow" gets a quick step, then a command that runs for a while. */
function responder(request: FakeRequest) {
  const last = request.messages.at(-1);
  const asked = request.messages.findLastIndex((message) => message.role === "user");
  if (textOf(request.messages[asked]).includes("slow")) {
    const steps = request.messages.slice(asked).filter((message) => message.role === "tool").length;
    if (steps === 0) return { toolCalls: [{ name: "execute", args: { command: "echo first-step-done" } }] };
    if (steps === 1) return { toolCalls: [{ name: "execute", args: { command: "echo started; sleep 40; echo finished" } }] };
  }
  if (last?.role === "tool") return { text: `Done: ${textOf(last).trim().slice(0, 60)}` };
  return { toolCalls: [{ name: "execute", args: { command: "wc -l sales.csv" } }] };
}

/** The conversations in the chat list, newest first. */
function chatItems() {
  return page.getByTestId("chat-list").locator('[data-testid^="chat-item-"]:not([data-testid^="chat-item-menu-"])');
}

test.beforeAll(async () => {
  own = await OwnApp.start("restart", responder);
});

test.afterAll(async () => {
  await own?.dispose();
});

test("a second app on the same DATA_DIR refuses with a clear message, and the first keeps serving", async () => {
  await expect(AppProcess.start({ dataDir: own.dataDir, scope: own.scope })).rejects.toThrow(/Tidepool is already running on .*Stop it first/);
  const health = await fetch(`${own.app.url}/api/health`);
  expect(health.status).toBe(200);
});

test("sign up, upload, chat and switch runtime; after SIGTERM and a new start everything is there and the sandbox is adopted", async ({ browser }) => {
  test.setTimeout(6 * 60_000);
  page = await own.openBrowser(browser);
  const workspace = new WorkspacePage(page);
  const chat = new ChatPage(page);

  await test.step("the first account (the admin) points the app at the fake model, uploads a CSV and chats", async () => {
    await new AuthPage(page).signUp(email, PASSWORD);
    await updateModel(page.request, own.fake.url);
    await workspace.waitForSandbox();
    await workspace.upload("sales.csv", "region,amount\nnorth,10\nsouth,20\n", "text/csv");
    await chat.open();
    await chat.send("How many lines does sales.csv have?");
    await expect(chat.assistantMessages().last()).toContainText("Done: 3 sales.csv", { timeout: TURN_TIMEOUT_MS });
    await chat.waitForTurnEnd();
  });

  await test.step("switching to python-minimal changes what runs: pandas is gone", async () => {
    await page.goto("/settings");
    await page.getByTestId("runtime-choose-python-minimal").click();
    await expect(page.getByTestId("runtime-option-python-minimal")).toHaveAttribute("data-current", "true", { timeout: SANDBOX_TIMEOUT_MS });
    await workspace.goto();
    await workspace.waitForSandbox();
    const run = await workspace.runCommand(`python3 -c "import pandas"`);
    await expect(run).toContainText("No module named 'pandas'");
    await expect(run.getByTestId("console-exit-code")).toHaveAttribute("data-exit-code", "1");
  });

  const before = await own.containers();
  expect(before).toHaveLength(1);

  await test.step("SIGTERM stops the web server and the embedded database cleanly; the sandbox keeps running", async () => {
    const exit = await own.app.stop("SIGTERM");
    expect(exit.code, own.app.output.slice(-2000)).toBe(0);
    expect(fs.existsSync(path.join(own.dataDir, "tidepool.lock")), "the DATA_DIR lock is released").toBe(false);
    expect(fs.existsSync(path.join(own.dataDir, "postgres", "postmaster.pid")), "the database stopped").toBe(false);
    expect((await own.containers()).map((container) => container.Id)).toEqual(before.map((container) => container.Id));
  });

  await test.step("started again: still signed in, files, chat and runtime intact, the same container adopted", async () => {
    await own.startAgain();
    page = await own.openBrowser(browser);
    const again = new WorkspacePage(page);
    const chatAgain = new ChatPage(page);
    await again.goto();
    await again.waitForSandbox();
    await expect(again.fileRow("sales.csv")).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
    await chatAgain.open();
    await chatItems().first().click();
    await expect(chatAgain.userMessages()).toHaveText(["How many lines does sales.csv have?"]);
    await expect(chatAgain.assistantMessages().last()).toContainText("Done: 3 sales.csv");
    const run = await again.runCommand(`python3 -c "import pandas"`);
    await expect(run).toContainText("No module named 'pandas'");
    expect((await own.containers()).map((container) => container.Id)).toEqual(before.map((container) => container.Id));
  });
});

test("SIGKILL of the whole app mid-turn: everything committed is intact, the next start recovers, no container is orphaned", async ({ browser }) => {
  test.setTimeout(5 * 60_000);
  await test.step("a turn finishes a first step and starts a long command; the app is killed while it runs", async () => {
    const chat = new ChatPage(page);
    await chat.open();
    await chat.startNew();
    await chat.send("Run the slow job");
    await expect(chat.toolSteps("execute")).toHaveCount(2, { timeout: TURN_TIMEOUT_MS });
    await expect(chat.toolSteps("execute").last()).toHaveAttribute("data-status", "running", { timeout: TURN_TIMEOUT_MS });
    const exit = await own.app.stop("SIGKILL");
    expect(exit.signal).toBe("SIGKILL");
  });

  await test.step("the next start recovers the database and the sandbox; the turn's question, its finished step and an interrupted mark are there", async () => {
    // The same server again (same address): it settles the turn its last run left at once.
    await own.startAgain({ samePort: true });
    expect(own.app.output).toContain("did not stop cleanly; recovering");
    page = await own.openBrowser(browser);
    const workspace = new WorkspacePage(page);
    const again = new ChatPage(page);
    await workspace.goto();
    await workspace.waitForSandbox();
    await expect(workspace.fileRow("sales.csv")).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
    await again.open();
    const items = chatItems();
    await expect(items).toHaveCount(2);
    await items.first().click();
    await expect(again.userMessages()).toHaveText(["Run the slow job"]);
    const steps = again.toolSteps("execute");
    await expect(steps).toHaveCount(2);
    await expect(steps.first()).toHaveAttribute("data-status", "done");
    await expect(steps.first()).toContainText("first-step-done");
    await expect(steps.last()).toHaveAttribute("data-status", "stopped");
    await expect(again.assistantMessages().last().getByTestId("chat-interrupted")).toBeVisible();
    await items.last().click();
    await expect(again.assistantMessages().last()).toContainText("Done: 3 sales.csv");
  });

  await test.step("every container of this app belongs to a live session, and the user can chat again at once", async () => {
    const containers = await own.containers();
    const sessions = (await (await page.request.get("/api/trpc/admin.sessions.list")).json()) as { result: { data: { state: string; user: { email: string } }[] } };
    const live = sessions.result.data.filter((session) => session.state === "running" || session.state === "paused");
    expect(containers).toHaveLength(live.length);
    expect(live.map((session) => session.user.email)).toEqual([email]);

    const chat = new ChatPage(page);
    await chat.startNew();
    await chat.send("How many lines does sales.csv have now?");
    await expect(chat.assistantMessages().last()).toContainText("Done: 3 sales.csv", { timeout: TURN_TIMEOUT_MS });
  });
});
