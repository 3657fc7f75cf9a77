import { fileLimitsInputSchema, getFileLimits, updateFileLimits } from "../../../services/file-limits";
import { getModelSettings, modelSettingsInputSchema, updateModelSettings } from "../../../services/model-settings";
import { adminProcedure, router } from "../../trpc";

export const adminSettingsRouter = router({
  /** The model provider; the API key only as whether it is set and its last 4 characters. */
  model: adminProcedure.query(() => getModelSettings()),
  updateModel: adminProcedure.input(modelSettingsInputSchema).mutation(({ ctx, input }) => updateModelSettings(ctx.user.id, input)),
  /** Limits on file transfers (the largest download). */
  fileLimits: adminProcedure.query(() => getFileLimits()),
  updateFileLimits: adminProcedure.input(fileLimitsInputSchema).mutation(({ ctx, input }) => updateFileLimits(ctx.user.id, input)),
});
