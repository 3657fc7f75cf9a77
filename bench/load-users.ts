// N people arriving at once on the default configuration (`npm start`'s own
// code, the embedded database), each over HTTP as a browser would: sign up,
// sign in, write a CSV, one chat turn with the local fake model (it runs
// `wc -l` on the file), list their files. The single-user baseline is the same
// flow for a few people one after another, in the same run on the same server.
//   node_modules/.bin/tsx bench/load-users.ts [users=50] [baseline runs=5]
// Needs the machine `npm test` provisions (Docker, the default runtime image, a built app).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { removeContainer } from "../server/sandbox/container-lifecycle";
import { LABELS } from "../server/sandbox/labels";
import { AppProcess } from "../test/fixtures/app-process";
import { type FakeRequest, startFakeOpenAI, textOf } from "../test/fixtures/fake-openai/server";
import { percentile, printTable } from "./sandbox-stats";

const USERS = Number(process.argv[2] ?? 50);
const BASELINE_RUNS = Number(process.argv[3] ?? 5);
const STEP_TIMEOUT_MS = 300_000;
const STEPS = ["sign up", "sign in", "write CSV", "chat turn", "list files"] as const;
type Step = (typeof STEPS)[number];
type Samples = Record<Step, number[]>;
type Failure = { step: Step; message: string };

/** A browser's worth of HTTP: cookies kept, tRPC calls, the sign-in form, the chat stream. */
class Visitor {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async fetch(route: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await fetch(`${this.base}${route}`, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  }

  async mutation<T>(procedure: string, input?: unknown): Promise<T> {
    const response = await this.fetch(`/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input ?? null) });
    return this.result<T>(procedure, response);
  }

  async query<T>(procedure: string, input: unknown): Promise<T> {
    return this.result<T>(procedure, await this.fetch(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`));
  }

  async signIn(email: string, password: string): Promise<void> {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const form = new URLSearchParams({ csrfToken, email, password, json: "true" });
    const response = await this.fetch("/api/auth/callback/credentials", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
    await response.text();
    if (![...this.cookies.keys()].some((name) => name.endsWith("session-token"))) throw new Error(`sign-in failed (${response.status} ${response.headers.get("location") ?? ""})`);
  }

  /** Sends one message in a new chat and reads the streamed answer to its end. */
  async chatTurn(text: string): Promise<string> {
    const chat = await this.mutation<{ id: string }>("chats.create");
    const response = await this.fetch("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: chat.id, message: { parts: [{ type: "text", text }] } }) });
    const body = await response.text();
    if (!response.ok) throw new Error(`chat ${response.status}: ${body.slice(0, 200)}`);
    const error = /"type":"error","errorText":"([^"]*)"/.exec(body);
    if (error) throw new Error(`chat stream error: ${error[1]}`);
    return body;
  }

  private async result<T>(procedure: string, response: Response): Promise<T> {
    const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
    if (!response.ok || !body.result) throw new Error(`${procedure} ${response.status}: ${body.error?.message ?? "no result"}`);
    return body.result.data;
  }
}

async function timedStep<T>(samples: Samples, failures: Failure[], step: Step, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const value = await work();
    samples[step].push(performance.now() - started);
    return value;
  } catch (error) {
    failures.push({ step, message: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** One person's first minutes. */
async function person(url: string, email: string, samples: Samples, failures: Failure[]): Promise<void> {
  const visitor = new Visitor(url);
  const password = "bench password 1234";
  const step = <T>(name: Step, work: () => Promise<T>) => timedStep(samples, failures, name, work);
  try {
    await step("sign up", () => visitor.mutation("auth.signUp", { email, password }));
    await step("sign in", () => visitor.signIn(email, password));
    await step("write CSV", () => visitor.mutation("files.write", { path: "data.csv", content: "region,amount\nnorth,10\nsouth,20\neast,30\n" }));
    const answer = await step("chat turn", () => visitor.chatTurn("How many lines does data.csv have?"));
    if (!answer.includes("4 data.csv")) failures.push({ step: "chat turn", message: "the answer did not include the command's output" });
    await step("list files", () => visitor.query("files.list", {}));
  } catch {
    // Counted in failures; the person stops there, as a real one would.
  }
}

function emptySamples(): Samples {
  return Object.fromEntries(STEPS.map((step) => [step, []])) as unknown as Samples;
}

/** p95 per step, single person against the crowd, as bars (people read a chart faster than a table). */
function printChart(single: Samples, crowd: Samples): void {
  const max = Math.max(...STEPS.flatMap((step) => [percentile(single[step], 95), percentile(crowd[step], 95)]).filter(Number.isFinite));
  const bar = (ms: number) => "█".repeat(Math.max(1, Math.round((ms / max) * 50)));
  console.log("\np95 per step (ms): ░ one person alone, █ everyone at once");
  for (const step of STEPS) {
    const alone = percentile(single[step], 95);
    const together = percentile(crowd[step], 95);
    console.log(`${step.padEnd(11)} ${"░".repeat(Math.max(1, Math.round((alone / max) * 50)))} ${alone.toFixed(0)}`);
    console.log(`${"".padEnd(11)} ${bar(together)} ${together.toFixed(0)}`);
  }
}

function responder(request: FakeRequest) {
  const last = request.messages.at(-1);
  if (last?.role === "tool") return { text: `The command printed: ${textOf(last).split("\n")[0]}` };
  return { toolCalls: [{ name: "execute", args: { command: "wc -l data.csv" } }] };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tidepool-load-"));
  fs.chmodSync(dataDir, 0o755);
  const scope = `bench-load-${process.pid}`;
  const docker = new Docker({ socketPath: "/var/run/docker.sock" });
  const fake = await startFakeOpenAI(responder);
  console.log(`starting Tidepool (default configuration) in ${dataDir}…`);
  const app = await AppProcess.start({ dataDir, scope });
  try {
    const admin = new Visitor(app.url);
    await admin.mutation("auth.signUp", { email: "admin@load.test", password: "bench password 1234" });
    await admin.signIn("admin@load.test", "bench password 1234");
    await admin.mutation("admin.settings.updateModel", { provider: "openai-compatible", model: "fake-model", baseUrl: fake.url, apiKey: null });

    const single = emptySamples();
    const singleFailures: Failure[] = [];
    for (let i = 0; i < BASELINE_RUNS; i++) await person(app.url, `alone-${i}@load.test`, single, singleFailures);

    const crowd = emptySamples();
    const crowdFailures: Failure[] = [];
    const started = performance.now();
    await Promise.all(Array.from({ length: USERS }, (_, i) => person(app.url, `crowd-${i}@load.test`, crowd, crowdFailures)));
    const wall = performance.now() - started;

    printTable(
      `${USERS} people at once vs one person alone (${BASELINE_RUNS} runs), same server, same run`,
      STEPS.map((step) => ({ name: step, samples: crowd[step], baseline: { name: "alone", samples: single[step] } })),
    );
    const turnRatio = percentile(crowd["chat turn"], 95) / percentile(single["chat turn"], 50);
    console.log(`\nfirst chat turn: crowd p95 = ${turnRatio.toFixed(2)}× the single-person turn (p50); goal ≤ 5×`);
    console.log(`all ${USERS} people done in ${(wall / 1000).toFixed(1)} s; errors: ${crowdFailures.length} in the crowd, ${singleFailures.length} alone`);
    for (const failure of [...singleFailures, ...crowdFailures].slice(0, 10)) console.log(`  ${failure.step}: ${failure.message}`);
    printChart(single, crowd);
    process.exitCode = crowdFailures.length + singleFailures.length > 0 ? 1 : 0;
  } finally {
    await app.stop("SIGTERM").catch((error: unknown) => console.error(String(error)));
    await fake.close();
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABELS.manager}=${scope}`] } });
    await Promise.all(containers.map((container) => removeContainer(docker, container.Id).catch(() => {})));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
