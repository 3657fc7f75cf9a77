import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";

// Tidepool started exactly as a person starts it (`npm start`'s own entry
// point, the default configuration: no DATABASE_URL, a generated secret), in
// its own process group so a test can do what Ctrl+C or a crash does to the
// whole of it: its web server and its embedded database.

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 90_000;

export type AppOptions = { dataDir: string; scope: string; port?: number };
type Exit = { code: number | null; signal: NodeJS.Signals | null };

export class AppProcess {
  private log = "";
  private readonly exited: Promise<Exit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  /** Starts the app and resolves once /api/health answers; rejects with its output if it exits first. */
  static async start(options: AppOptions): Promise<AppProcess> {
    const port = options.port ?? (await freePort());
    const child = spawn("node", ["scripts/bootstrap.mjs", "start"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DATA_DIR: options.dataDir, PORT: String(port), SANDBOX_SCOPE: options.scope, NO_COLOR: "1" },
    });
    const app = new AppProcess(child, `http://127.0.0.1:${port}`);
    await app.waitUntilHealthy();
    return app;
  }

  get output(): string {
    return this.log;
  }

  /** Sends `signal` to the whole process group, as a terminal's Ctrl+C does, and waits (bounded) for the app to exit. */
  async stop(signal: "SIGTERM" | "SIGINT" | "SIGKILL"): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(-this.child.pid!, signal);
    const exit = await Promise.race([this.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), STOP_TIMEOUT_MS))]);
    if (exit) return exit;
    process.kill(-this.child.pid!, "SIGKILL");
    throw new Error(`The app did not exit within ${STOP_TIMEOUT_MS / 1000} s of ${signal}:\n${this.log.slice(-3000)}`);
  }

  private async waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const state: { exit: Exit | null } = { exit: null };
    void this.exited.then((exit) => (state.exit = exit));
    while (Date.now() < deadline) {
      if (state.exit) throw new Error(`The app exited (${state.exit.code ?? state.exit.signal}) before it was ready:\n${this.log.slice(-3000)}`);
      const healthy = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(5000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    process.kill(-this.child.pid!, "SIGKILL");
    throw new Error(`The app was not ready within ${START_TIMEOUT_MS / 1000} s:\n${this.log.slice(-3000)}`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
