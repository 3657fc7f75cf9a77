import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type Docker from "dockerode";
import { extract, pack } from "tar-stream";
import { attachLines } from "../attach-lines";
import { LABELS } from "../labels";

// Builds the sandbox supervisor (a small static Go program, ./src) once per
// source version, inside a throwaway container from the base image, and caches
// the binary on the host under a hash of its sources. Sandboxes mount the
// cache folder read-only and run the binary as PID 1.

export const SUPERVISOR_FILE_NAME = "tidepool-supervisor";
/** The Go sources; the app always runs from the repository root. */
export const SUPERVISOR_SOURCE_DIR = path.join(process.cwd(), "server/sandbox/supervisor/src");

export type SupervisorBinary = { dir: string; hash: string; fileName: typeof SUPERVISOR_FILE_NAME };

export type EnsureSupervisorOptions = {
  cacheDir: string;
  /** A Debian bookworm image; golang-go comes from its apt sources. */
  baseImage: string;
  onProgress?: (line: string) => void;
  sourceDir?: string;
  /** Whole build; default 10 minutes. */
  timeoutMs?: number;
};

export class SupervisorBuildError extends Error {
  constructor(
    message: string,
    readonly logTail: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(logTail.length ? `${message}\n${logTail.join("\n")}` : message, options);
    this.name = "SupervisorBuildError";
  }
}

/** Part of the hash: a change here rebuilds the binary. */
export const BUILD_RECIPE = [
  "set -e",
  "export DEBIAN_FRONTEND=noninteractive",
  "apt-get update",
  "apt-get install -y --no-install-recommends golang-go",
  "go version",
  "mkdir -p /build/out",
  "cd /build/src",
  `CGO_ENABLED=0 GOPROXY=off GOCACHE=/tmp/go-cache go build -trimpath -ldflags="-s -w" -o /build/out/${SUPERVISOR_FILE_NAME} .`,
].join("\n");

const SOURCE_FILE = /^(?:go\.mod|go\.sum|[\w-]+\.go)$/;
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const LOG_TAIL_LINES = 30;

export type SourceFile = { name: string; content: Buffer };

/** The Go sources of `dir` (go.mod and *.go), sorted by name. */
export async function readSupervisorSources(dir: string): Promise<SourceFile[]> {
  const names = (await fs.readdir(dir)).filter((name) => SOURCE_FILE.test(name) && !name.endsWith("_test.go")).sort();
  if (!names.includes("go.mod")) throw new SupervisorBuildError(`No go.mod in ${dir}: not the supervisor's sources`);
  return Promise.all(names.map(async (name) => ({ name, content: await fs.readFile(path.join(dir, name)) })));
}

/** First 16 hex chars of sha256 over the sorted sources and the recipe. */
export function supervisorHash(files: SourceFile[], recipe: string = BUILD_RECIPE): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    // Lengths keep "ab"+"c" apart from "a"+"bc".
    hash.update(`${file.name}\0${file.content.length}\0`);
    hash.update(file.content);
  }
  hash.update(`recipe\0${recipe}`);
  return hash.digest("hex").slice(0, 16);
}

const inFlight = new Map<string, Promise<SupervisorBinary>>();

/**
 * Returns the cached binary for the current sources, building it first if
 * needed. Concurrent callers in this process share one build; concurrent
 * processes each build and the first rename wins (both results are good).
 */
export async function ensureSupervisorBinary(
  docker: Docker,
  options: EnsureSupervisorOptions,
): Promise<SupervisorBinary> {
  const sources = await readSupervisorSources(options.sourceDir ?? SUPERVISOR_SOURCE_DIR);
  const hash = supervisorHash(sources);
  const binary: SupervisorBinary = { dir: path.join(options.cacheDir, hash), hash, fileName: SUPERVISOR_FILE_NAME };
  if (await isFile(path.join(binary.dir, SUPERVISOR_FILE_NAME))) return binary;

  const key = `${path.resolve(options.cacheDir)}\0${hash}`;
  let build = inFlight.get(key);
  if (!build) {
    build = buildInto(docker, binary, sources, options).finally(() => inFlight.delete(key));
    inFlight.set(key, build);
  }
  return build;
}

async function buildInto(
  docker: Docker,
  binary: SupervisorBinary,
  sources: SourceFile[],
  options: EnsureSupervisorOptions,
): Promise<SupervisorBinary> {
  const progress = options.onProgress ?? (() => {});
  progress(`Building the sandbox supervisor (${binary.hash}) on ${options.baseImage}…`);
  const executable = await buildInContainer(
    docker,
    options.baseImage,
    sources,
    progress,
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );

  await fs.mkdir(options.cacheDir, { recursive: true });
  // A temp folder beside the final one, renamed into place: readers never see a partial binary.
  const temp = `${binary.dir}.tmp-${randomBytes(6).toString("hex")}`;
  try {
    await fs.mkdir(temp);
    await fs.chmod(temp, 0o755); // uid 1000 in the sandbox reads it, whatever the umask
    const file = path.join(temp, SUPERVISOR_FILE_NAME);
    await fs.writeFile(file, executable);
    await fs.chmod(file, 0o755);
    try {
      await fs.rename(temp, binary.dir);
    } catch (error) {
      // Another process finished first: its binary is as good as ours.
      if (!(await isFile(path.join(binary.dir, SUPERVISOR_FILE_NAME)))) throw error;
    }
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
  progress(`Built the sandbox supervisor (${executable.length} bytes).`);
  return binary;
}

async function buildInContainer(
  docker: Docker,
  baseImage: string,
  sources: SourceFile[],
  progress: (line: string) => void,
  timeoutMs: number,
): Promise<Buffer> {
  const tail: string[] = [];
  const log = (line: string) => {
    if (!line.trim()) return;
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    progress(line);
  };
  let container: Docker.Container | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    container = await docker.createContainer({
      Image: baseImage,
      Cmd: ["/bin/sh", "-c", BUILD_RECIPE],
      Tty: true, // one merged, unframed output stream
      Labels: { [LABELS.managed]: "true", "tidepool.build": "supervisor" },
    });
    await container.putArchive(await sourceTar(sources), { path: "/" });
    const output = await attachLines(container, log);
    await container.start();
    const started = container;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void started.kill().catch(() => {});
        reject(
          new SupervisorBuildError(
            `Building the sandbox supervisor timed out after ${Math.round(timeoutMs / 1000)} s`,
            tail,
          ),
        );
      }, timeoutMs);
    });
    const { StatusCode } = (await Promise.race([container.wait(), timedOut])) as { StatusCode: number };
    await output.drain();
    if (StatusCode !== 0)
      throw new SupervisorBuildError(`Building the sandbox supervisor failed (exit ${StatusCode})`, tail);
    return await readBinary(await container.getArchive({ path: `/build/out/${SUPERVISOR_FILE_NAME}` }));
  } catch (error) {
    if (error instanceof SupervisorBuildError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SupervisorBuildError(`Building the sandbox supervisor failed: ${message}`, tail, { cause: error });
  } finally {
    clearTimeout(timer);
    await container?.remove({ force: true }).catch(() => {});
  }
}

/** A tar of build/src/<file> (and the folders), for putArchive at "/". */
async function sourceTar(sources: SourceFile[]): Promise<Buffer> {
  const archive = pack();
  archive.entry({ name: "build/", type: "directory", mode: 0o755 });
  archive.entry({ name: "build/src/", type: "directory", mode: 0o755 });
  for (const file of sources) archive.entry({ name: `build/src/${file.name}`, mode: 0o644 }, file.content);
  archive.finalize();
  return collect(archive);
}

/** The one regular file in a getArchive tar. */
async function readBinary(archive: NodeJS.ReadableStream): Promise<Buffer> {
  const entries = extract();
  archive.pipe(entries);
  let found: Buffer | undefined;
  for await (const entry of entries) {
    const content = await collect(entry);
    if (entry.header.type === "file" && entry.header.name === SUPERVISOR_FILE_NAME) found = content;
  }
  if (!found?.length) throw new SupervisorBuildError("The build finished but produced no binary");
  return found;
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}
