-- Plain text of each message, for searching conversations, filled from the
-- text parts of the messages already stored.
ALTER TABLE "Message" ADD COLUMN "text" TEXT NOT NULL DEFAULT '';
UPDATE "Message" SET "text" = COALESCE((
  SELECT string_agg(part->>'text', E'\n')
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof("parts") = 'array' THEN "parts" ELSE '[]'::jsonb END) AS part
  WHERE part->>'type' = 'text'
), '');

-- Notices shown to a user once (an admin stopped their sandbox).
CREATE TABLE "UserNotice" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" TIMESTAMP(3),

    CONSTRAINT "UserNotice_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "UserNotice_userId_seenAt_idx" ON "UserNotice"("userId", "seenAt");

ALTER TABLE "UserNotice" ADD CONSTRAINT "UserNotice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
