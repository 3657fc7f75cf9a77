-- How the user chose to read a data file in the preview (overrides or a sheet),
-- for the agent's loading hint, tied to the file's size and time when chosen.
CREATE TABLE "FileReadChoice" (
    "userId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "overrides" JSONB,
    "sheet" TEXT,
    "fileSize" BIGINT NOT NULL,
    "fileModifiedMs" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FileReadChoice_pkey" PRIMARY KEY ("userId","path")
);

ALTER TABLE "FileReadChoice" ADD CONSTRAINT "FileReadChoice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
