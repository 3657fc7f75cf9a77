import { takeNotices } from "../../services/user-notices";
import { protectedProcedure, router } from "../trpc";

// The caller's own notices; taking them marks them seen.
export const noticesRouter = router({
  take: protectedProcedure.mutation(({ ctx }) => takeNotices(ctx.user.id)),
});
