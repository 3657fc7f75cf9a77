import { z } from "zod";
import { listSessionsWithUsage, sessionActivity } from "../../../services/admin-sessions";
import { restartSandbox, stopSandbox } from "../../../services/sandboxes";
import { adminProcedure, router } from "../../trpc";

const userId = z.uuid();

export const adminSessionsRouter = router({
  list: adminProcedure.query(() => listSessionsWithUsage()),
  stop: adminProcedure.input(z.object({ userId })).mutation(({ ctx, input }) => stopSandbox(input.userId, ctx.user.id)),
  restart: adminProcedure.input(z.object({ userId })).mutation(({ ctx, input }) => restartSandbox(input.userId, ctx.user.id)),
  activity: adminProcedure.input(z.object({ userId })).query(({ input }) => sessionActivity(input.userId)),
});
