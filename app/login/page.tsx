import Image from "next/image";
import { redirect } from "next/navigation";
import { pageSessionUser } from "@/lib/auth/caller";
import { authOptions } from "@/lib/auth/options";
import { sameOriginPath } from "@/lib/auth/redirect-target";
import { env } from "@/lib/env";
import { LoginForm } from "./login-form";
import { Card } from "@/components/ui/card";

export const dynamic = "force-dynamic";

// next-auth's error codes for a refused or failed sign-in, in words.
const errors: Record<string, string> = {
  AccessDenied: "This account may not sign in here. Ask an administrator for an invitation.",
  OAuthSignin: "Could not reach the sign-in provider. Try again.",
  OAuthCallback: "The sign-in provider's answer could not be verified. Try again.",
  SessionRequired: "Please sign in.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string; invited?: string }> }) {
  if (await pageSessionUser()) redirect("/");
  const { callbackUrl, error, invited } = await searchParams;
  const sso = authOptions.providers.filter((p) => p.type === "oauth").map((p) => ({ id: p.id, name: p.name }));
  // Only targets on this site, so the login page cannot be used as an open redirect (the form checks again).
  const target = sameOriginPath(callbackUrl, env().NEXTAUTH_URL ?? "http://localhost");
  return (
    <main id="main" className="flex min-h-screen items-center justify-center p-6">
      <Card className="w-full max-w-sm shadow-sm p-8">
        <h1 className="flex items-center gap-2 text-2xl font-semibold">
          <Image src="/logo.svg" alt="" width={32} height={32} priority unoptimized />
          AgentLedger
        </h1>
        <p className="mb-6 mt-1 text-sm text-muted-foreground">Sign in to see what your agents did and what it cost.</p>
        {invited && <p role="status" className="mb-4 text-sm text-success">Your password is set. Sign in as {invited}.</p>}
        <LoginForm callbackUrl={target} sso={sso} error={error ? (errors[error] ?? "Sign-in failed. Try again.") : null} />
      </Card>
    </main>
  );
}
