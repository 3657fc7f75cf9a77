import { z } from "zod";
import { listUsers, setUserLimits, setUserRole, userLimitsSchema } from "../../../services/admin-users";
import { adminProcedure, router } from "../../trpc";

const userId = z.uuid();

export const adminUsersRouter = router({
  list: adminProcedure.query(() => listUsers()),
  setRole: adminProcedure.input(z.object({ userId, role: z.enum(["USER", "ADMIN"]) })).mutation(({ ctx, input }) => setUserRole(ctx.user.id, input.userId, input.role)),
  setLimits: adminProcedure.input(userLimitsSchema.extend({ userId })).mutation(({ ctx, input }) => setUserLimits(ctx.user.id, input.userId, input)),
});
