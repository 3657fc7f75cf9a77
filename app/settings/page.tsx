import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { getSessionUserId } from "~/server/auth/session";
import { RuntimePicker } from "./_components/runtime-picker";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings · Tidepool" };

export default async function UserSettingsPage() {
  if (!(await getSessionUserId())) redirect("/sign-in?callbackUrl=/settings");
  return (
    <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-8 sm:px-6">
      <div className="flex flex-col gap-2">
        <Link
          href="/workspace"
          className="inline-flex w-fit items-center gap-1 rounded text-sm text-sky-700 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400"
          data-testid="settings-back"
        >
          <ArrowLeft className="size-4" aria-hidden />
          Back to the workspace
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      </div>
      <RuntimePicker />
    </main>
  );
}
