import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionUserId } from "~/server/auth/session";
import { getProfile } from "~/server/services/users";
import { AdminShell } from "./_components/admin-shell";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Admin · Tidepool" };

/** Admins only: signed-out visitors go to sign-in, everyone else sees a 404 (the page does not exist for them). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const userId = await getSessionUserId();
  if (!userId) redirect("/sign-in?callbackUrl=/admin");
  const profile = await getProfile(userId);
  if (profile?.role !== "ADMIN") notFound();
  return <AdminShell email={profile.email}>{children}</AdminShell>;
}
