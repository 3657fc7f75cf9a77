import { z } from "zod";
import { listAvailableRuntimes } from "../../services/runtimes";
import { chooseRuntime } from "../../services/sandboxes";
import { protectedProcedure, router } from "../trpc";

// A user's own runtime choice among the enabled runtimes.
export const runtimesRouter = router({
  available: protectedProcedure.query(({ ctx }) => listAvailableRuntimes(ctx.user.id)),
  /** Switches the caller's runtime (null: the default); a live sandbox restarts on it, files kept. */
  choose: protectedProcedure
    .input(z.object({ name: z.string().min(1).max(63).nullable() }))
    .mutation(({ ctx, input }) => chooseRuntime(ctx.user.id, input.name)),
});
