"use client";

import { useMutation } from "@tanstack/react-query";
import { KeyRound, Loader2 } from "lucide-react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button } from "../_components/ui/button";
import { Card } from "../_components/ui/card";
import { Input } from "../_components/ui/input";
import { Label } from "../_components/ui/label";
import { useTRPC } from "../_trpc/client";

type Mode = "sign-in" | "sign-up";

const COPY = {
  "sign-in": { title: "Sign in", submit: "Sign in", switchText: "New here?", switchLink: "Create an account", switchHref: "/sign-up" },
  "sign-up": { title: "Create your account", submit: "Create account", switchText: "Already have an account?", switchLink: "Sign in", switchHref: "/sign-in" },
} as const;

export function AuthForm({ mode, oauthProviders }: { mode: Mode; oauthProviders: string[] }) {
  const router = useRouter();
  const callbackUrl = useSearchParams().get("callbackUrl") ?? "/workspace";
  const trpc = useTRPC();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const copy = COPY[mode];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : "";
    };
    const email = field("email");
    const password = field("password");
    setError(null);
    setPending(true);
    try {
      if (mode === "sign-up") await signUp.mutateAsync({ email, password, name: field("name") || undefined });
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) {
        setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong email or password.");
        return;
      }
      router.replace(callbackUrl.startsWith("/") ? callbackUrl : "/workspace");
      router.refresh();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "Something went wrong. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Card className="w-full max-w-sm p-6">
      <h1 className="text-xl font-semibold">{copy.title}</h1>
      <form className="mt-6 flex flex-col gap-4" onSubmit={(event) => void onSubmit(event)}>
        {mode === "sign-up" ? (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="name">Name (optional)</Label>
            <Input id="name" name="name" autoComplete="name" data-testid="auth-name" />
          </div>
        ) : null}
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="email">Email</Label>
          <Input id="email" name="email" type="email" required autoComplete="email" data-testid="auth-email" aria-invalid={!!error} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="password">Password</Label>
          <Input
            id="password"
            name="password"
            type="password"
            required
            minLength={mode === "sign-up" ? 8 : undefined}
            autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
            data-testid="auth-password"
            aria-invalid={!!error}
            aria-describedby={mode === "sign-up" ? "password-hint" : undefined}
          />
          {mode === "sign-up" ? (
            <p id="password-hint" className="text-xs text-slate-500">
              At least 8 characters.
            </p>
          ) : null}
        </div>
        {error ? (
          <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700 dark:bg-rose-950 dark:text-rose-300" data-testid="auth-error" aria-live="polite">
            {error}
          </p>
        ) : null}
        <Button type="submit" disabled={pending} data-testid="auth-submit">
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          {copy.submit}
        </Button>
      </form>
      {oauthProviders.length > 0 ? (
        <div className="mt-4 flex flex-col gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
          {oauthProviders.map((provider) => (
            <Button key={provider} variant="secondary" onClick={() => void signIn(provider, { callbackUrl })} data-testid={`auth-oauth-${provider}`}>
              <KeyRound aria-hidden />
              Continue with {provider === "github" ? "GitHub" : "Google"}
            </Button>
          ))}
        </div>
      ) : null}
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        {copy.switchText}{" "}
        <Link href={copy.switchHref} className="font-medium text-sky-700 hover:underline dark:text-sky-400" data-testid="auth-switch">
          {copy.switchLink}
        </Link>
      </p>
    </Card>
  );
}
