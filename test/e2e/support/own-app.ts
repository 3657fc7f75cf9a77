import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import Docker from "dockerode";
import { removeContainer } from "../../../server/sandbox/container-lifecycle";
import { unmountWorkspaceDisks } from "../../../server/sandbox/workspace-disk";
import { AppProcess } from "../../fixtures/app-process";
import { type FakeOpenAI, type Responder, startFakeOpenAI } from "../../fixtures/fake-openai/server";

// A Tidepool of a spec's own, for specs that stop, kill and start it: its own
// DATA_DIR (so its own embedded database), container scope and fake model,
// and a browser that keeps its session across restarts.

const docker = new Docker({ socketPath: "/var/run/docker.sock" });

export class OwnApp {
  app!: AppProcess;
  private context: BrowserContext | undefined;

  private constructor(
    readonly dataDir: string,
    readonly scope: string,
    readonly fake: FakeOpenAI,
  ) {}

  static async start(name: string, responder: Responder): Promise<OwnApp> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tidepool-${name}-`));
    // The embedded database runs as its own system user under root: it must reach its folder.
    fs.chmodSync(dataDir, 0o755);
    const own = new OwnApp(dataDir, `${process.env.SANDBOX_SCOPE ?? "e2e"}-${name}`, await startFakeOpenAI(responder));
    own.app = await AppProcess.start({ dataDir, scope: own.scope });
    return own;
  }

  /** Starts the app again on its DATA_DIR, once it was stopped or killed; `samePort` keeps its address. */
  async startAgain(options: { samePort?: boolean } = {}): Promise<AppProcess> {
    const port = options.samePort ? Number(new URL(this.app.url).port) : undefined;
    this.app = await AppProcess.start({ dataDir: this.dataDir, scope: this.scope, port });
    return this.app;
  }

  /** A page in a new browser context on the app's current address, with the cookies (the session) of the last one. */
  async openBrowser(browser: Browser): Promise<Page> {
    const state = this.context ? await this.context.storageState() : undefined;
    await this.context?.close();
    this.context = await browser.newContext({ baseURL: this.app.url, storageState: state });
    return this.context.newPage();
  }

  /** The containers this app made. */
  containers(): Promise<Docker.ContainerInfo[]> {
    return docker.listContainers({ all: true, filters: { label: [`tidepool.manager=${this.scope}`] } });
  }

  /** Stops what it started and removes what it made. */
  async dispose(): Promise<void> {
    await this.context?.close();
    await this.app?.stop("SIGTERM").catch(() => {});
    await this.fake.close();
    for (const container of await this.containers()) await removeContainer(docker, container.Id).catch(() => {});
    await unmountWorkspaceDisks(this.dataDir);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
