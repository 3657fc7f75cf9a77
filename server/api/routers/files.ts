import { z } from "zod";
import {
  deletePath,
  editFile,
  globFiles,
  grepFiles,
  listFiles,
  makeDirectory,
  movePath,
  previewFile,
  readFile,
  rememberRead,
  writeFile,
} from "../../services/workspace-files";
import { folderSummary } from "../../services/folder-summary";
import { workspaceUsage } from "../../services/sandboxes";
import { DELIMITERS, ENCODINGS, MAX_SKIP_ROWS } from "../../ingest";
import { protectedProcedure, router } from "../trpc";

// Paths are checked by the engine (under /workspace, no `..`, NUL or control characters).
const filePath = z.string().min(1, "Give a path.").max(4096);

/** What the user changed in a table preview; anything left out is detected. */
const loadOverrides = z
  .object({
    delimiter: z.enum(DELIMITERS).optional(),
    encoding: z.enum(ENCODINGS).optional(),
    skipRows: z.number().int().min(0).max(MAX_SKIP_ROWS, `Skip at most ${MAX_SKIP_ROWS} rows.`).optional(),
    header: z.boolean().optional(),
  })
  .strict();

const sheetName = z.string().min(1).max(255);

export const filesRouter = router({
  /** Space used on the workspace's disk and its quota (null before the sandbox first started, or without quotas). */
  usage: protectedProcedure.query(({ ctx }) => workspaceUsage(ctx.user.id)),

  list: protectedProcedure
    .input(z.object({ path: filePath.optional() }))
    .query(({ ctx, input }) => listFiles(ctx.user.id, input.path)),

  /** How many files a folder holds and their size, for the delete confirmation. */
  folderSummary: protectedProcedure
    .input(z.object({ path: filePath }))
    .query(({ ctx, input }) => folderSummary(ctx.user.id, input.path)),

  preview: protectedProcedure
    .input(
      z.object({
        path: filePath,
        size: z.number().int().nonnegative().default(0),
        /** From the listing: with `size`, which version of the file a remembered read choice must match. */
        modifiedMs: z.number().int().nonnegative().optional(),
        overrides: loadOverrides.optional(),
        sheet: sheetName.optional(),
      }),
    )
    .query(({ ctx, input }) =>
      previewFile(ctx.user.id, input.path, input.size, {
        overrides: input.overrides,
        sheet: input.sheet,
        modifiedMs: input.modifiedMs,
      }),
    ),

  /** How the user reads this version of a table or workbook in the preview; the agent's loading hint follows it. */
  rememberRead: protectedProcedure
    .input(
      z.object({
        path: filePath,
        size: z.number().int().nonnegative(),
        modifiedMs: z.number().int().nonnegative(),
        overrides: loadOverrides.optional(),
        sheet: sheetName.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      rememberRead(
        ctx.user.id,
        input.path,
        { size: input.size, modifiedMs: input.modifiedMs },
        { overrides: input.overrides, sheet: input.sheet },
      ),
    ),

  read: protectedProcedure
    .input(
      z.object({
        path: filePath,
        offset: z.number().int().nonnegative().optional(),
        limit: z.number().int().positive().max(10_000).optional(),
      }),
    )
    .query(({ ctx, input }) => readFile(ctx.user.id, input.path, { offset: input.offset, limit: input.limit })),

  write: protectedProcedure
    .input(
      z.object({ path: filePath, content: z.string().max(5 * 1024 * 1024, "Use the upload for files over 5 MB.") }),
    )
    .mutation(({ ctx, input }) => writeFile(ctx.user.id, input.path, input.content)),

  edit: protectedProcedure
    .input(
      z.object({
        path: filePath,
        oldString: z.string().min(1),
        newString: z.string(),
        replaceAll: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) =>
      editFile(ctx.user.id, input.path, input.oldString, input.newString, input.replaceAll),
    ),

  glob: protectedProcedure
    .input(z.object({ pattern: z.string().min(1).max(1000), path: filePath.optional() }))
    .query(({ ctx, input }) => globFiles(ctx.user.id, input.pattern, input.path)),

  grep: protectedProcedure
    .input(
      z.object({
        pattern: z.string().min(1).max(1000),
        path: filePath.optional(),
        glob: z.string().max(200).optional(),
        ignoreCase: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      grepFiles(ctx.user.id, input.pattern, { dir: input.path, glob: input.glob, ignoreCase: input.ignoreCase }),
    ),

  mkdir: protectedProcedure
    .input(z.object({ path: filePath }))
    .mutation(({ ctx, input }) => makeDirectory(ctx.user.id, input.path)),

  move: protectedProcedure
    .input(z.object({ from: filePath, to: filePath }))
    .mutation(({ ctx, input }) => movePath(ctx.user.id, input.from, input.to)),

  delete: protectedProcedure
    .input(z.object({ path: filePath }))
    .mutation(({ ctx, input }) => deletePath(ctx.user.id, input.path)),
});
