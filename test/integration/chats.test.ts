import type { UIMessage } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { saveMessages } from "~/server/services/chats";
import { newUser, trpcCodeOf } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

const userMessage = (id: string, text: string): UIMessage => ({ id, role: "user", parts: [{ type: "text", text }] });

describe("chats", () => {
  beforeAll(resetDatabase);
  afterAll(() => db.$disconnect());

  it("persists a conversation with its tool steps and restores it in order", async () => {
    const alice = await newUser("alice");
    const chat = await alice.caller.chats.create();
    const assistant: UIMessage = {
      id: "a1",
      role: "assistant",
      parts: [
        { type: "text", text: "Loading it." },
        { type: "tool-run_python", toolCallId: "call_1", state: "output-available", input: { code: "1+1" }, output: { result: "2" } },
      ],
    };
    await saveMessages(alice.id, chat.id, [userMessage("u1", "What drives churn in customers.csv? Plot it please")]);
    await saveMessages(alice.id, chat.id, [userMessage("u1", "What drives churn in customers.csv? Plot it please"), assistant]);
    const loaded = await alice.caller.chats.get({ id: chat.id });
    expect(loaded.messages.map((message) => message.id)).toEqual(["u1", "a1"]);
    expect(loaded.messages[1]).toEqual(assistant);
    expect(loaded.title).toBe("What drives churn in customers.csv? Plot it please");
    expect((await alice.caller.chats.list()).map((summary) => summary.id)).toEqual([chat.id]);
  });

  it("never shows, renames or deletes another user's conversation", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const chat = await alice.caller.chats.create();
    await saveMessages(alice.id, chat.id, [userMessage("secret-1", "my private question")]);
    expect(await trpcCodeOf(bob.caller.chats.get({ id: chat.id }))).toBe("NOT_FOUND");
    expect(await trpcCodeOf(bob.caller.chats.rename({ id: chat.id, title: "mine now" }))).toBe("NOT_FOUND");
    expect(await trpcCodeOf(bob.caller.chats.delete({ id: chat.id }))).toBe("NOT_FOUND");
    await expect(saveMessages(bob.id, chat.id, [userMessage("x", "injected")])).rejects.toThrow(/does not exist/);
    expect(await bob.caller.chats.list()).toEqual([]);
    expect((await alice.caller.chats.get({ id: chat.id })).messages).toHaveLength(1);
    await alice.caller.chats.delete({ id: chat.id });
    expect(await trpcCodeOf(alice.caller.chats.get({ id: chat.id }))).toBe("NOT_FOUND");
  });
});
