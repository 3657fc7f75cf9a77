"use client";

import { useQuery } from "@tanstack/react-query";
import { LogOut, Settings, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { signOut } from "next-auth/react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../../_components/ui/dropdown-menu";
import { useTRPC } from "../../_trpc/client";

function initials(nameOrEmail: string): string {
  const words = nameOrEmail.split(/[\s@._-]+/).filter(Boolean);
  return (
    (words[0]?.[0] ?? "?") + (words.length > 1 && !nameOrEmail.includes("@") ? (words[1]?.[0] ?? "") : "")
  ).toUpperCase();
}

/**
 * Signs out without next-auth's redirect (it builds an absolute URL from NEXTAUTH_URL, which may be
 * unset), then loads the sign-in page afresh so nothing of this account stays in the query cache.
 */
async function signOutAndLeave() {
  await signOut({ redirect: false });
  window.location.assign("/sign-in");
}

/** The signed-in account (avatar, name, email) and Sign out. */
export function UserMenu() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: Infinity }));
  const email = me.data?.email ?? "";
  const name = me.data?.name ?? null;

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex items-center gap-2 rounded-full p-0.5 pr-0.5 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-offset-2 sm:pr-3 dark:focus-visible:ring-offset-slate-950"
        aria-label={email ? `Account: ${email}` : "Account"}
        data-testid="user-menu"
      >
        <span
          className="grid size-8 place-items-center rounded-full bg-gradient-to-br from-sky-500 to-indigo-500 text-xs font-semibold text-white"
          aria-hidden
        >
          {email ? initials(name ?? email) : ""}
        </span>
        <span
          className="hidden max-w-48 truncate text-sm text-slate-700 sm:block dark:text-slate-300"
          data-testid="user-email"
        >
          {email}
        </span>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-64">
        <DropdownMenuLabel className="flex flex-col gap-0.5 py-2 font-normal">
          {name ? <span className="text-sm font-medium text-slate-900 dark:text-slate-100">{name}</span> : null}
          <span className="truncate text-sm text-slate-600 dark:text-slate-400">{email}</span>
          {me.data?.role === "ADMIN" ? (
            <span className="mt-1 w-fit rounded bg-indigo-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
              Admin
            </span>
          ) : null}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/settings" data-testid="user-menu-settings">
            <Settings aria-hidden />
            Settings
          </Link>
        </DropdownMenuItem>
        {me.data?.role === "ADMIN" ? (
          <DropdownMenuItem asChild>
            <Link href="/admin" data-testid="user-menu-admin">
              <ShieldCheck aria-hidden />
              Admin
            </Link>
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOutAndLeave()} data-testid="sign-out">
          <LogOut aria-hidden />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
