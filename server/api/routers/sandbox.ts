import { z } from "zod";
import { getSandboxStatus, restartSandbox, runCommand, startSandbox, stopSandbox } from "../../services/sandboxes";
import { protectedProcedure, router } from "../trpc";

// Acts only on the caller's own sandbox: no input names a user or a container.
export const sandboxRouter = router({
  status: protectedProcedure.query(({ ctx }) => getSandboxStatus(ctx.user.id)),

  /** Starts the sandbox, streaming image build progress when the runtime is not built yet. */
  start: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    yield* startSandbox(ctx.user.id, signal);
  }),

  stop: protectedProcedure.mutation(({ ctx }) => stopSandbox(ctx.user.id)),

  restart: protectedProcedure.mutation(({ ctx }) => restartSandbox(ctx.user.id)),

  /** Runs a shell command; output streams as it comes, then the exit. Unsubscribing kills it. */
  execute: protectedProcedure
    .input(z.object({ command: z.string().trim().min(1, "Type a command.").max(20_000), timeoutMs: z.number().int().positive().optional() }))
    .subscription(async function* ({ ctx, input, signal }) {
      yield* runCommand(ctx.user.id, input.command, { timeoutMs: input.timeoutMs, signal });
    }),
});
