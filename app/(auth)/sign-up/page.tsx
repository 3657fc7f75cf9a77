import { redirect } from "next/navigation";
import { Suspense } from "react";
import { oauthProviderIds } from "~/server/auth/options";
import { getSessionUserId } from "~/server/auth/session";
import { AuthForm } from "../auth-form";

export const dynamic = "force-dynamic";

export default async function Page() {
  if (await getSessionUserId()) redirect("/workspace");
  return (
    <Suspense>
      <AuthForm mode="sign-up" oauthProviders={oauthProviderIds} />
    </Suspense>
  );
}
