import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUserId } from "~/server/auth/session";
import { env } from "~/server/env";
import { WorkspaceShell } from "./_components/workspace-shell";
import { ChatPanel } from "./chat/chat-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Workspace · Tidepool" };

export default async function WorkspacePage() {
  const userId = await getSessionUserId();
  if (!userId) redirect("/sign-in?callbackUrl=/workspace");
  // The chat panel (app/workspace/chat/**) plugs in as <WorkspaceShell chat={<ChatPanel />} … />.
  return <WorkspaceShell userId={userId} uploadMaxBytes={env.UPLOAD_MAX_MB * 1024 * 1024} chat={<ChatPanel />} />;
}
