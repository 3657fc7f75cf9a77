import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import Docker from "dockerode";
import { unmountWorkspaceDisks } from "../../server/sandbox/workspace-disk";
import { AppProcess } from "../fixtures/app-process";
import {
  type FakeOpenAI,
  type FakeRequest,
  isTitleRequest,
  startFakeOpenAI,
  textOf,
} from "../fixtures/fake-openai/server";
import { AuthPage } from "./pages/auth-page";
import { ChatPage, TURN_TIMEOUT_MS } from "./pages/chat-page";
import { JobsPage } from "./pages/jobs-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { updateModel } from "./support/model-setting";
import { PASSWORD } from "./support/accounts";

// What runs in the sandbox outlives the app: a Tidepool of its own (its own
// DATA_DIR, database and container scope) is killed outright while a
// background job runs and the kernel holds a variable, and started again.
// The job is still running with its output readable and growing, and the
// agent finds the variable, without being told that its variables are gone.

test.describe.configure({ mode: "serial" });

const RESET_NOTE = "variables from those messages are gone";
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const scope = `${process.env.SANDBOX_SCOPE ?? "e2e"}-jobs-restart`;
const TICKS = "i=0; while [ $i -lt 900 ]; do echo tick $i; i=$((i+1)); sleep 0.5; done";
let dataDir: string;
let app: AppProcess;
let fake: FakeOpenAI;
let context: BrowserContext | undefined;
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

/** A new browser context on the app's current address, keeping the cookies (the session) of the last one. */
async function openBrowser(browser: Browser) {
  const state = context ? await context.storageState() : undefined;
  await context?.close();
  context = await browser.newContext({ baseURL: app.url, storageState: state });
  page = await context.newPage();
}

/** The highest tick the output shows. */
async function lastTick(jobs: JobsPage): Promise<number> {
  const ticks = [...((await jobs.output().textContent()) ?? "").matchAll(/tick (\d+)/g)].map((match) =>
    Number(match[1]),
  );
  return Math.max(-1, ...ticks);
}

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tidepool-jobs-restart-"));
  // The embedded database runs as its own system user under root: it must reach its folder.
  fs.chmodSync(dataDir, 0o755);
  fake = await startFakeOpenAI(responder);
  app = await AppProcess.start({ dataDir, scope });
});

test.afterAll(async () => {
  await context?.close();
  await app?.stop("SIGTERM").catch(() => {});
  await fake?.close();
  const containers = await docker.listContainers({ all: true, filters: { label: [`tidepool.manager=${scope}`] } });
  for (const container of containers)
    await docker
      .getContainer(container.Id)
      .remove({ force: true })
      .catch(() => {});
  await unmountWorkspaceDisks(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a background job and the kernel's variables survive the app being killed and started again", async ({
  browser,
}) => {
  test.setTimeout(6 * 60_000);
  await openBrowser(browser);
  let before = -1;

  await test.step("a variable in the kernel, and a job started from the console", async () => {
    await new AuthPage(page).signUp(`jobs-restart-${Date.now()}@example.com`, PASSWORD);
    await updateModel(page.request, fake.url);
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
    expect((await app.stop("SIGKILL")).signal).toBe("SIGKILL");
    app = await AppProcess.start({ dataDir, scope });
    await openBrowser(browser);
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
    const asked = fake.requests.length;
    await chat.send("recall the number");
    // The first answer says the same: wait for the second.
    await expect(chat.assistantMessages()).toHaveCount(2, { timeout: TURN_TIMEOUT_MS });
    await expect(chat.assistantMessages().last()).toContainText(/Done: stdout:\s*42/, { timeout: TURN_TIMEOUT_MS });
    await chat.waitForTurnEnd();
    const turn = fake.requests.slice(asked).filter((request) => !isTitleRequest(request));
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
