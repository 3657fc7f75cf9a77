import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db";
import { recordActivity } from "./activity";

// Limits on file transfers that an admin sets (Setting "fileLimits"): for now
// the largest download, file or folder. Read on every download, so a change
// applies to the next one.

const SETTING_KEY = "fileLimits";

export const DEFAULT_DOWNLOAD_MAX_MB = 2048;
/** 1 TB: anything above is no limit at all. */
const MAX_DOWNLOAD_MAX_MB = 1024 * 1024;

export const fileLimitsInputSchema = z.object({
  downloadMaxMb: z
    .number({ error: "Enter a number of MB." })
    .int("Enter a whole number of MB.")
    .min(1, "The download limit must be at least 1 MB.")
    .max(MAX_DOWNLOAD_MAX_MB, `The download limit can be at most ${MAX_DOWNLOAD_MAX_MB} MB (1 TB).`),
});

export type FileLimits = z.infer<typeof fileLimitsInputSchema>;

const storedSchema = fileLimitsInputSchema.partial();

export async function getFileLimits(): Promise<FileLimits> {
  const row = await db.setting.findUnique({ where: { key: SETTING_KEY }, select: { value: true } });
  const parsed = storedSchema.safeParse(row?.value ?? {});
  return { downloadMaxMb: (parsed.success ? parsed.data.downloadMaxMb : undefined) ?? DEFAULT_DOWNLOAD_MAX_MB };
}

export async function updateFileLimits(actorId: string, input: FileLimits): Promise<FileLimits> {
  const value = fileLimitsInputSchema.parse(input);
  const json = value as Prisma.InputJsonValue;
  await db.setting.upsert({
    where: { key: SETTING_KEY },
    create: { key: SETTING_KEY, value: json },
    update: { value: json },
  });
  await recordActivity({ actorId, action: "admin.settings.file_limits", outcome: "ok", detail: value });
  return getFileLimits();
}
