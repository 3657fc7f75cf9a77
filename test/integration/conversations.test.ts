import { readUIMessageStream, type UIMessage } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleToolset } from "~/server/agent";
import { NETWORK_HINT } from "~/server/agent/network-hint";
import { db } from "~/server/db";
import { startAgentTurn, stopAgentTurn } from "~/server/services/agent-turns";
import { saveMessages } from "~/server/services/chats";
import { updateModelSettings } from "~/server/services/model-settings";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { sandboxFor } from "~/server/services/sandboxes";
import { type FakeOpenAI, type FakeRequest, type FakeTurn, isTitleRequest, startFakeOpenAI, textOf } from "../fixtures/fake-openai/server";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// Conversations as a user lives with them (issue 16): the last one reopens,
// titles are distinct and then named by the model, rename and search work,
// Stop keeps what was done; and the platform says what is true: an admin
// stopped your sandbox, a folder's size before deleting it, no network by design.

const user = (id: string, text: string): UIMessage => ({ id, role: "user", parts: [{ type: "text", text }] });
const assistant = (id: string, text: string): UIMessage => ({ id, role: "assistant", parts: [{ type: "text", text }] });

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let server: FakeOpenAI;
/** What the fake model answers next; each test sets its own. */
let respond: (request: FakeRequest) => FakeTurn = () => ({ text: "ok" });

beforeAll(async () => {
  await resetDatabase();
  const admin = await newUser("admin");
  server = await startFakeOpenAI((request) => respond(request));
  await updateModelSettings(admin.id, { provider: "openai-compatible", model: "fake-model", baseUrl: server.url });
});

afterAll(async () => {
  await server.close();
  await sandboxPlatform().manager.shutdown();
  await db.$disconnect();
});

describe("conversations", () => {
  it("the latest is the one last active in; a rename keeps its place", async () => {
    const alice = await newUser("alice");
    expect(await alice.caller.chats.latest()).toBeNull();
    const older = await alice.caller.chats.create();
    const newer = await alice.caller.chats.create();
    await saveMessages(alice.id, older.id, [user("alice-o1", "first question")]);
    await saveMessages(alice.id, newer.id, [user("alice-n1", "second question")]);
    expect((await alice.caller.chats.latest())?.id).toBe(newer.id);

    await alice.caller.chats.rename({ id: older.id, title: "Churn drivers, Q3" });
    expect((await alice.caller.chats.latest())?.id).toBe(newer.id);
    expect((await alice.caller.chats.get({ id: older.id })).title).toBe("Churn drivers, Q3");

    await saveMessages(alice.id, older.id, [user("alice-o1", "first question"), assistant("alice-o2", "an answer")]);
    expect((await alice.caller.chats.latest())?.id).toBe(older.id);
    // Another user's latest is their own.
    expect(await (await newUser("bob")).caller.chats.latest()).toBeNull();
  });

  it("two chats that start with the same words get distinct titles", async () => {
    const carol = await newUser("carol");
    const titles: string[] = [];
    for (const id of ["a", "b", "c"]) {
      const chat = await carol.caller.chats.create();
      titles.push(await saveMessages(carol.id, chat.id, [user(`carol-${id}1`, "Plot revenue by month")]));
    }
    expect(titles).toEqual(["Plot revenue by month", "Plot revenue by month (2)", "Plot revenue by month (3)"]);
    const chat = await carol.caller.chats.create();
    const long = "What drives churn in the customers file when we look at tenure, contract type and monthly charges together?";
    const title = await saveMessages(carol.id, chat.id, [user("carol-l1", long)]);
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title.endsWith("…")).toBe(true);
  });

  it("search finds chats by title or message text, case-insensitively, only the user's own", async () => {
    const dana = await newUser("dana");
    const eve = await newUser("eve");
    const churn = await dana.caller.chats.create();
    const sales = await dana.caller.chats.create();
    await saveMessages(dana.id, churn.id, [user("dana-c1", "Why do customers leave?"), assistant("dana-c2", "Tenure and the Month-to-month CONTRACT explain most of the churn.")]);
    await saveMessages(dana.id, sales.id, [user("dana-s1", "Sum the sales per region")]);
    const evesChat = await eve.caller.chats.create();
    await saveMessages(eve.id, evesChat.id, [user("eve-e1", "month-to-month contract question")]);

    const found = await dana.caller.chats.search({ query: "month-to-MONTH contract" });
    expect(found.map((chat) => chat.id)).toEqual([churn.id]);
    expect(found[0]?.snippet).toContain("Month-to-month CONTRACT");
    expect((await dana.caller.chats.search({ query: "sales per" })).map((chat) => chat.id)).toEqual([sales.id]);
    expect((await dana.caller.chats.search({ query: "why do CUSTOMERS" })).map((chat) => chat.id)).toEqual([churn.id]);
    expect(await dana.caller.chats.search({ query: "nothing like this" })).toEqual([]);
    expect(await dana.caller.chats.search({ query: "   " })).toEqual([]);
    // LIKE wildcards are text, not patterns.
    expect(await dana.caller.chats.search({ query: "%" })).toEqual([]);
    expect(await dana.caller.chats.search({ query: "_" })).toEqual([]);
    const percent = await dana.caller.chats.create();
    await saveMessages(dana.id, percent.id, [user("dana-p1", "Margins rose 12% in Q3_2024")]);
    expect((await dana.caller.chats.search({ query: "12% in q3_" })).map((chat) => chat.id)).toEqual([percent.id]);
  });
});

describe("turns", () => {
  it("Stop saves the partial answer and the finished tool step, marked stopped", async () => {
    const frank = await newUser("frank");
    const chat = await frank.caller.chats.create();
    respond = (request) => {
      if (isTitleRequest(request)) return { text: "Slow job" };
      if (request.messages.at(-1)?.role === "tool") return { text: "Partial findings: the first part is in. ".repeat(40), chunkDelayMs: 100 };
      return { toolCalls: [{ name: "execute", args: { command: "echo step-one-done" } }] };
    };
    const turn = await startAgentTurn({ userId: frank.id, chatId: chat.id, text: "Run the slow job" });
    const reader = turn.stream.getReader();
    let text = "";
    while (!text.includes("Partial findings")) {
      const { value, done } = await reader.read();
      if (done) break;
      if (value.type === "text-delta") text += value.delta;
    }
    await stopAgentTurn(frank.id, chat.id);
    await reader.cancel();

    const stored = await until(
      () => frank.caller.chats.get({ id: chat.id }),
      (loaded) => loaded.messages.length === 2,
    );
    const reply = stored.messages[1]!;
    expect(reply.role).toBe("assistant");
    expect(reply.metadata).toEqual({ stopped: true });
    const step = reply.parts.find((part) => part.type === "tool-execute") as { state: string; output: { text: string } } | undefined;
    expect(step?.state).toBe("output-available");
    expect(step?.output.text).toContain("step-one-done");
    const saved = reply.parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
    expect(saved).toContain("Partial findings");
    expect(saved.length).toBeLessThan("Partial findings: the first part is in. ".repeat(40).length);
    // The turn's lock is released: the user can ask again at once.
    respond = () => ({ text: "Here again." });
    const next = await startAgentTurn({ userId: frank.id, chatId: chat.id, text: "continue" });
    for await (const message of readUIMessageStream({ stream: next.stream })) void message;
  });

  it("Stop before the answer begins keeps an empty reply marked stopped, and the next turn works", async () => {
    const kim = await newUser("kim");
    const chat = await kim.caller.chats.create();
    respond = (request) => (isTitleRequest(request) ? { text: "Waiting" } : { text: "late answer", delayMs: 5_000 });
    await startAgentTurn({ userId: kim.id, chatId: chat.id, text: "Take your time" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stopAgentTurn(kim.id, chat.id);
    const stored = await until(
      () => kim.caller.chats.get({ id: chat.id }),
      (loaded) => loaded.messages.length === 2,
    );
    expect(stored.messages[1]).toMatchObject({ role: "assistant", metadata: { stopped: true } });
    expect(stored.messages[1]?.parts.some((part) => part.type === "text" && part.text.includes("late answer"))).toBe(false);

    respond = () => ({ text: "Here now." });
    const asked = server.requests.length;
    const next = await startAgentTurn({ userId: kim.id, chatId: chat.id, text: "Still there?" });
    const messages: UIMessage[] = [];
    for await (const message of readUIMessageStream({ stream: next.stream })) messages.push(message);
    expect(JSON.stringify(messages.at(-1)?.parts)).toContain("Here now.");
    // The model saw both questions and no empty assistant turn between them.
    const sent = server.requests.slice(asked).find((request) => !isTitleRequest(request))!;
    expect(sent.messages.filter((message) => message.role !== "system").map((message) => message.role)).toEqual(["user", "user"]);
  });

  it("the model names a chat from its first answer; a failing title request keeps the first title", async () => {
    const gina = await newUser("gina");
    respond = (request) => (isTitleRequest(request) ? { text: '"Monthly revenue trend."' } : { text: "Revenue rose every month." });
    const named = await gina.caller.chats.create();
    const response = await startAgentTurn({ userId: gina.id, chatId: named.id, text: "How did revenue move?" });
    for await (const message of readUIMessageStream({ stream: response.stream })) void message;
    const titled = await until(
      () => gina.caller.chats.get({ id: named.id }),
      (loaded) => loaded.title !== "How did revenue move?",
    );
    expect(titled.title).toBe("Monthly revenue trend");
    const titleRequest = server.requests.findLast(isTitleRequest);
    expect(textOf(titleRequest?.messages.at(-1))).toContain("Revenue rose every month.");

    respond = (request) => {
      if (isTitleRequest(request)) throw new Error("title model down");
      return { text: "Answered." };
    };
    const plain = await gina.caller.chats.create();
    const second = await startAgentTurn({ userId: gina.id, chatId: plain.id, text: "Count the rows" });
    const messages: UIMessage[] = [];
    for await (const message of readUIMessageStream({ stream: second.stream })) messages.push(message);
    expect(JSON.stringify(messages.at(-1)?.parts)).toContain("Answered.");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await gina.caller.chats.get({ id: plain.id })).title).toBe("Count the rows");

    // A rename while the first answer is being written wins over the model's title.
    respond = (request) => (isTitleRequest(request) ? { text: "Model's idea" } : { text: "Slowly answered.", delayMs: 1_500 });
    const renamed = await gina.caller.chats.create();
    const titlesAsked = server.requests.filter(isTitleRequest).length;
    const third = await startAgentTurn({ userId: gina.id, chatId: renamed.id, text: "Describe the data" });
    await gina.caller.chats.rename({ id: renamed.id, title: "My own name" });
    for await (const message of readUIMessageStream({ stream: third.stream })) void message;
    await until(
      async () => server.requests.filter(isTitleRequest).length,
      (count) => count > titlesAsked,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await gina.caller.chats.get({ id: renamed.id })).title).toBe("My own name");
  });
});

describe("saying what is true", () => {
  it("an admin's stop is told to the user once; their own stop is not", async () => {
    const admin = await db.user.findFirstOrThrow({ where: { role: "ADMIN" }, select: { id: true } });
    const { callerFor } = await import("./helpers/callers");
    const hana = await newUser("hana");
    await hana.caller.files.write({ path: "keep.txt", content: "kept" });
    expect(await hana.caller.notices.take()).toEqual([]);

    expect(await callerFor(admin.id).admin.sessions.stop({ userId: hana.id })).toBe(true);
    const notices = await hana.caller.notices.take();
    expect(notices.map((notice) => notice.kind)).toEqual(["sandbox_stopped_by_admin"]);
    expect(Date.now() - notices[0]!.createdAt.getTime()).toBeLessThan(60_000);
    expect(await hana.caller.notices.take()).toEqual([]);

    await hana.caller.files.write({ path: "again.txt", content: "x" });
    await hana.caller.sandbox.stop();
    expect(await hana.caller.notices.take()).toEqual([]);
    expect((await hana.caller.files.list({})).entries.map((entry) => entry.name)).toEqual(expect.arrayContaining(["keep.txt", "again.txt"]));
  });

  it("a folder's summary counts its files (hidden ones too) and their bytes", async () => {
    const ivan = await newUser("ivan");
    await ivan.caller.files.write({ path: "data/a.csv", content: "x,y\n1,2\n" });
    await ivan.caller.files.write({ path: "data/raw/b.txt", content: "hello" });
    await ivan.caller.files.write({ path: "data/.cache", content: "123" });
    await ivan.caller.files.mkdir({ path: "empty" });
    expect(await ivan.caller.files.folderSummary({ path: "data" })).toEqual({ path: "/workspace/data", files: 3, totalBytes: 8 + 5 + 3, atLeast: false });
    expect(await ivan.caller.files.folderSummary({ path: "/workspace/empty" })).toMatchObject({ files: 0, totalBytes: 0 });
    await expect(ivan.caller.files.folderSummary({ path: "/workspace" })).rejects.toThrow(/workspace itself/);
  });

  it("a command that fails for lack of network says the sandbox is offline by design and how an admin allows it", async () => {
    const jo = await newUser("jo");
    const tools = createConsoleToolset({ sandbox: await sandboxFor(jo.id) }) as unknown as Record<string, { execute: (input: unknown, options: unknown) => unknown }>;
    const run = async (name: string, input: unknown) => {
      let last: unknown = await tools[name]!.execute(input, { toolCallId: "t", messages: [] });
      if (last && typeof last === "object" && Symbol.asyncIterator in last) for await (const value of last as AsyncIterable<unknown>) last = value;
      return last as { text: string; hint?: string; exitCode?: number };
    };
    const shell = await run("execute", { command: `python3 -c "import urllib.request; urllib.request.urlopen('http://example.com', timeout=5)"` });
    expect(shell.exitCode).not.toBe(0);
    expect(shell.hint).toBe(NETWORK_HINT);
    expect(shell.text).toContain("Admin → Runtimes");
    expect(shell.text).toContain("Sandboxes may reach the network");

    const python = await run("run_python", { code: "import socket\nsocket.getaddrinfo('pypi.org', 443)" });
    expect(python.hint).toBe(NETWORK_HINT);
    expect(python.text).toContain("no network access, by design");

    const fine = await run("execute", { command: "echo 'name resolution is fine here' && exit 0" });
    expect(fine.hint).toBeUndefined();
  });
});
