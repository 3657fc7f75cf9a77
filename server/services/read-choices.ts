import { Prisma } from "@prisma/client";
import { db } from "../db";
import type { FileVersion, ReadChoice as VersionedChoice } from "../agent";
import type { LoadOverrides } from "../ingest";

// How the user chose to read a data file in the preview (the overrides of what
// was detected, or a workbook's sheet), kept in Postgres per user and path so
// the agent's "load with" hint reads the file as the user saw it. A choice
// belongs to the file as it was: a different size or time means the file
// changed and the choice is ignored; deleting or moving the path drops it.

export type ReadChoice = Omit<VersionedChoice, keyof FileVersion>;
export type { FileVersion };

const choiceSelect = {
  path: true,
  overrides: true,
  sheet: true,
  fileSize: true,
  fileModifiedMs: true,
} satisfies Prisma.FileReadChoiceSelect;
type ChoiceRow = Prisma.FileReadChoiceGetPayload<{ select: typeof choiceSelect }>;

/** Stores the choice for this version of the file; an empty choice (back to detected) removes it. */
export async function rememberReadChoice(
  userId: string,
  path: string,
  file: FileVersion,
  choice: ReadChoice,
): Promise<void> {
  const overrides = choice.overrides && Object.keys(choice.overrides).length > 0 ? choice.overrides : undefined;
  if (!overrides && choice.sheet === undefined) {
    await db.fileReadChoice.deleteMany({ where: { userId, path } });
    return;
  }
  const data = {
    overrides: overrides ?? Prisma.DbNull,
    sheet: choice.sheet ?? null,
    fileSize: BigInt(file.size),
    fileModifiedMs: BigInt(file.modifiedMs),
  };
  await db.fileReadChoice.upsert({
    where: { userId_path: { userId, path } },
    create: { userId, path, ...data },
    update: data,
  });
}

function current(row: ChoiceRow, file: FileVersion): boolean {
  return row.fileSize === BigInt(file.size) && row.fileModifiedMs === BigInt(file.modifiedMs);
}

function choiceOf(row: ChoiceRow): ReadChoice {
  return {
    ...(row.overrides ? { overrides: row.overrides as LoadOverrides } : {}),
    ...(row.sheet === null ? {} : { sheet: row.sheet }),
  };
}

/** The choice for this version of the file, or null (none, or made for a version that changed since). */
export async function readChoiceFor(userId: string, path: string, file: FileVersion): Promise<ReadChoice | null> {
  const row = await db.fileReadChoice.findUnique({ where: { userId_path: { userId, path } }, select: choiceSelect });
  return row && current(row, file) ? choiceOf(row) : null;
}

/** Choices read for the agent's summary: it details a few files, so the newest choices are plenty. */
const MAX_CHOICES_FOR_AGENT = 500;

/** The user's stored choices with the file version each holds for (the agent checks each file against it). */
export async function readChoicesOf(userId: string): Promise<Record<string, VersionedChoice>> {
  const rows = await db.fileReadChoice.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    take: MAX_CHOICES_FOR_AGENT,
    select: choiceSelect,
  });
  return Object.fromEntries(
    rows.map((row) => [
      row.path,
      { ...choiceOf(row), size: Number(row.fileSize), modifiedMs: Number(row.fileModifiedMs) },
    ]),
  );
}

/** The path was deleted or moved: its choices (and those of files under it) no longer apply. */
export async function forgetReadChoices(userId: string, path: string): Promise<void> {
  await db.fileReadChoice.deleteMany({
    where: { userId, OR: [{ path }, { path: { startsWith: `${path}/` } }] },
  });
}
