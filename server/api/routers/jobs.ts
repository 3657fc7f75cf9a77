import { z } from "zod";
import {
  listBackgroundJobs,
  readBackgroundJobOutput,
  startBackgroundJob,
  stopBackgroundJob,
} from "../../services/background-jobs";
import { protectedProcedure, router } from "../trpc";

// The caller's own background jobs: no input names a user or a sandbox.
const jobId = z.string().trim().min(1).max(64);

export const jobsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listBackgroundJobs(ctx.user.id)),

  start: protectedProcedure
    .input(z.object({ command: z.string().trim().min(1, "Type a command.").max(20_000) }))
    .mutation(({ ctx, input }) => startBackgroundJob(ctx.user.id, input.command)),

  /** Output from a byte offset (the client keeps where it is). */
  output: protectedProcedure
    .input(z.object({ id: jobId, stream: z.enum(["stdout", "stderr"]), offset: z.number().int().min(0) }))
    .query(({ ctx, input }) =>
      readBackgroundJobOutput(ctx.user.id, input.id, { stream: input.stream, offset: input.offset }),
    ),

  stop: protectedProcedure
    .input(z.object({ id: jobId }))
    .mutation(({ ctx, input }) => stopBackgroundJob(ctx.user.id, input.id)),
});
