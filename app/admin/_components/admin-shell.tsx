"use client";

import { Boxes, MonitorCog, Settings2, Users, Waves } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "../../_lib/cn";

const NAV = [
  { href: "/admin/runtimes", label: "Runtimes", icon: Boxes, testId: "admin-nav-runtimes" },
  { href: "/admin/sessions", label: "Sessions", icon: MonitorCog, testId: "admin-nav-sessions" },
  { href: "/admin/users", label: "Users", icon: Users, testId: "admin-nav-users" },
  { href: "/admin/settings", label: "Settings", icon: Settings2, testId: "admin-nav-settings" },
] as const;

export function AdminShell({ email, children }: { email: string; children: ReactNode }) {
  const pathname = usePathname();
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex h-14 shrink-0 items-center gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
        <Link
          href="/workspace"
          className="flex items-center gap-2 rounded-md text-base font-semibold tracking-tight focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
          data-testid="admin-home"
        >
          <span className="grid size-7 place-items-center rounded-lg bg-sky-600 text-white shadow-sm">
            <Waves className="size-4" aria-hidden />
          </span>
          Tidepool
        </Link>
        <span className="rounded bg-indigo-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
          Admin
        </span>
        <nav aria-label="Admin sections" className="ml-4 flex items-center gap-1">
          {NAV.map(({ href, label, icon: Icon, testId }) => {
            const active = pathname === href || pathname.startsWith(`${href}/`);
            return (
              <Link
                key={href}
                href={href}
                aria-current={active ? "page" : undefined}
                data-testid={testId}
                className={cn(
                  "inline-flex h-8 items-center gap-1.5 rounded-md px-3 text-sm font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500",
                  active
                    ? "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white"
                    : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white",
                )}
              >
                <Icon className="size-4" aria-hidden />
                <span className="hidden sm:inline">{label}</span>
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
          <span className="hidden truncate md:block" data-testid="admin-email">
            {email}
          </span>
          <Link href="/workspace" className="rounded-md px-2 py-1 font-medium text-sky-700 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400" data-testid="admin-to-workspace">
            Workspace
          </Link>
        </div>
      </header>
      <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 sm:px-6">{children}</main>
    </div>
  );
}
