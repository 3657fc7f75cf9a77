-- Agent turns as server-side jobs: recorded while they run, so a browser can
-- leave and reattach, a Stop can reach them from any process, and a turn whose
-- server died is marked interrupted.
CREATE TYPE "TurnStatus" AS ENUM ('RUNNING', 'DONE', 'STOPPED', 'INTERRUPTED', 'FAILED');

CREATE TABLE "Turn" (
    "id" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "TurnStatus" NOT NULL DEFAULT 'RUNNING',
    "replyId" TEXT NOT NULL,
    "runnerHost" TEXT NOT NULL,
    "runnerBoot" TEXT NOT NULL,
    "stopRequested" BOOLEAN NOT NULL DEFAULT false,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Turn_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "Turn_chatId_startedAt_idx" ON "Turn"("chatId", "startedAt");
CREATE INDEX "Turn_userId_startedAt_idx" ON "Turn"("userId", "startedAt");
CREATE INDEX "Turn_status_idx" ON "Turn"("status");
-- One running turn per user, across every app process.
CREATE UNIQUE INDEX "Turn_one_running_per_user" ON "Turn"("userId") WHERE "status" = 'RUNNING';

ALTER TABLE "Turn" ADD CONSTRAINT "Turn_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "Chat"("id") ON DELETE CASCADE ON UPDATE CASCADE;
