import { TurnStreamBuffer } from "./turn-stream-buffer";
import { HEARTBEAT_MS, renewTurns } from "./turns";

// The turns this process runs now, by chat: their stream buffer (for browsers
// to attach), their abort controller (Stop), and a promise of their end. One
// heartbeat for all of them keeps their rows fresh and hears a Stop sent
// through another process. On globalThis: Next's route and tRPC bundles share one.

export type LiveTurn = {
  id: string;
  userId: string;
  chatId: string;
  replyId: string;
  buffer: TurnStreamBuffer;
  controller: AbortController;
  /** Settles when the turn has ended and its reply is saved. */
  ended: Promise<void>;
};

type Registry = { byChat: Map<string, LiveTurn>; heartbeat: NodeJS.Timeout | null };
const globalForTurns = globalThis as unknown as { tidepoolLiveTurns?: Registry };
const registry = (globalForTurns.tidepoolLiveTurns ??= { byChat: new Map<string, LiveTurn>(), heartbeat: null });

export function liveTurn(chatId: string): LiveTurn | undefined {
  return registry.byChat.get(chatId);
}

/** Registers a turn while `run` works; it leaves the registry when `run` settles. */
export function trackTurn(
  turn: Omit<LiveTurn, "buffer" | "controller" | "ended">,
  run: (live: Omit<LiveTurn, "ended">) => Promise<void>,
): LiveTurn {
  const base = { ...turn, buffer: new TurnStreamBuffer(), controller: new AbortController() };
  const ended = run(base)
    .catch((error: unknown) => {
      // Its row could not be closed (the database is away): it stops being renewed and is settled as interrupted.
      console.error("[turn] ended badly:", error instanceof Error ? error.message : error);
    })
    .finally(() => {
      if (registry.byChat.get(turn.chatId)?.id === turn.id) registry.byChat.delete(turn.chatId);
      base.buffer.close();
      if (registry.byChat.size === 0 && registry.heartbeat) {
        clearInterval(registry.heartbeat);
        registry.heartbeat = null;
      }
    });
  const live: LiveTurn = { ...base, ended };
  registry.byChat.set(turn.chatId, live);
  if (!registry.heartbeat) {
    registry.heartbeat = setInterval(beat, HEARTBEAT_MS);
    registry.heartbeat.unref();
  }
  return live;
}

function beat(): void {
  const turns = [...registry.byChat.values()];
  renewTurns(turns.map((turn) => turn.id))
    .then((stopIds) => {
      for (const turn of turns) if (stopIds.includes(turn.id)) turn.controller.abort();
    })
    .catch((error: unknown) => {
      // The database is away: the next beat tries again; past STALE_AFTER_MS the turns count as interrupted.
      console.warn("renewing running turns failed:", error instanceof Error ? error.message : error);
    });
}
