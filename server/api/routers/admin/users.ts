import { z } from "zod";
import { diskQuotaDefaults, listUsers, setUserLimits, setUserRole, userLimitsSchema } from "../../../services/admin-users";
import { diskQuotaMbSchema, setDefaultDiskQuota } from "../../../services/disk-quotas";
import { adminProcedure, router } from "../../trpc";

const userId = z.uuid();

export const adminUsersRouter = router({
  list: adminProcedure.query(() => listUsers()),
  setRole: adminProcedure.input(z.object({ userId, role: z.enum(["USER", "ADMIN"]) })).mutation(({ ctx, input }) => setUserRole(ctx.user.id, input.userId, input.role)),
  diskQuota: adminProcedure.query(() => diskQuotaDefaults()),
  setDefaultDiskQuota: adminProcedure.input(z.object({ defaultMb: diskQuotaMbSchema })).mutation(({ ctx, input }) => setDefaultDiskQuota(ctx.user.id, input.defaultMb)),
  setLimits: adminProcedure.input(userLimitsSchema.extend({ userId })).mutation(({ ctx, input }) => setUserLimits(ctx.user.id, input.userId, input)),
});
