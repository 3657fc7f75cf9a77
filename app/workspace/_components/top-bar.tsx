import { Waves } from "lucide-react";
import Link from "next/link";
import { SandboxStatusMenu } from "./sandbox/sandbox-status-menu";
import { UserMenu } from "./user-menu";

export function TopBar() {
  return (
    <header className="flex h-14 shrink-0 items-center gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
      <Link
        href="/workspace"
        className="flex items-center gap-2 rounded-md text-base font-semibold tracking-tight focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
      >
        <span className="grid size-7 place-items-center rounded-lg bg-sky-600 text-white shadow-sm">
          <Waves className="size-4" aria-hidden />
        </span>
        Tidepool
      </Link>
      <span className="h-5 w-px bg-slate-200 dark:bg-slate-800" aria-hidden />
      <SandboxStatusMenu />
      <div className="ml-auto">
        <UserMenu />
      </div>
    </header>
  );
}
