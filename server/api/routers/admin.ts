import { z } from "zod";
import { listSandboxSessions, stopSandbox } from "../../services/sandboxes";
import { adminProcedure, router } from "../trpc";
import { adminRuntimesRouter } from "./admin/runtimes";
import { adminSessionsRouter } from "./admin/sessions";
import { adminSettingsRouter } from "./admin/settings";
import { adminUsersRouter } from "./admin/users";

// Every procedure under `admin` is an adminProcedure (the integration tests enumerate them).
export const adminRouter = router({
  sandboxes: adminProcedure.query(() => listSandboxSessions()),
  stopSandbox: adminProcedure.input(z.object({ userId: z.uuid() })).mutation(({ ctx, input }) => stopSandbox(input.userId, ctx.user.id)),
  runtimes: adminRuntimesRouter,
  sessions: adminSessionsRouter,
  users: adminUsersRouter,
  settings: adminSettingsRouter,
});
