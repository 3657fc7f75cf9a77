import { z } from "zod";
import { listSandboxSessions, stopSandbox } from "../../services/sandboxes";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  sandboxes: adminProcedure.query(() => listSandboxSessions()),
  stopSandbox: adminProcedure.input(z.object({ userId: z.uuid() })).mutation(({ ctx, input }) => stopSandbox(input.userId, ctx.user.id)),
});
