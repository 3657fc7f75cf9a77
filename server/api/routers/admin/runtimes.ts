import { z } from "zod";
import { buildRuntime, getRuntime, listRuntimes, verifyRuntime } from "../../../services/runtime-builds";
import { createRuntime, deleteRuntime, duplicateRuntime, setDefaultRuntime, setRuntimeEnabled, updateRuntime } from "../../../services/runtimes";
import { adminProcedure, router } from "../../trpc";

// The config itself is validated by the engine's schema in the service, so the
// form's errors are exactly RuntimeConfig's, keyed by field ("packages.0").
const name = z.string().min(1).max(63);
const config = z.record(z.string(), z.unknown());

export const adminRuntimesRouter = router({
  list: adminProcedure.query(() => listRuntimes()),
  get: adminProcedure.input(z.object({ name })).query(({ input }) => getRuntime(input.name)),
  create: adminProcedure.input(z.object({ config })).mutation(({ ctx, input }) => createRuntime(ctx.user.id, input.config)),
  update: adminProcedure.input(z.object({ name, config })).mutation(({ ctx, input }) => updateRuntime(ctx.user.id, input.name, input.config)),
  duplicate: adminProcedure.input(z.object({ name, newName: name })).mutation(({ ctx, input }) => duplicateRuntime(ctx.user.id, input.name, input.newName)),
  delete: adminProcedure.input(z.object({ name })).mutation(({ ctx, input }) => deleteRuntime(ctx.user.id, input.name)),
  setDefault: adminProcedure.input(z.object({ name })).mutation(({ ctx, input }) => setDefaultRuntime(ctx.user.id, input.name)),
  setEnabled: adminProcedure.input(z.object({ name, enabled: z.boolean() })).mutation(({ ctx, input }) => setRuntimeEnabled(ctx.user.id, input.name, input.enabled)),
  /** Builds the image (or joins the running build), streaming steps and log lines, then the saved row. */
  build: adminProcedure.input(z.object({ name })).subscription(async function* ({ ctx, input, signal }) {
    yield* buildRuntime(ctx.user.id, input.name, signal);
  }),
  /** Runs the smoke check again on the built image. */
  verify: adminProcedure.input(z.object({ name })).mutation(({ ctx, input }) => verifyRuntime(ctx.user.id, input.name)),
});
