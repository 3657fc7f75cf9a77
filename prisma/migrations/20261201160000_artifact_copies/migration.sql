-- A copy of each figure the agent makes, kept with its conversation: old
-- charts still show after the workspace file is moved or deleted.
ALTER TABLE "Artifact" ADD COLUMN "bytes" BYTEA;
ALTER TABLE "Artifact" ADD COLUMN "size" INTEGER;
ALTER TABLE "Artifact" ADD COLUMN "contentType" TEXT;

-- Looking up a message's figure by its path.
CREATE INDEX "Artifact_chatId_messageId_path_idx" ON "Artifact"("chatId", "messageId", "path");
