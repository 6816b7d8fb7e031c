"use client";
import { getCsrfToken, signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { TWO_FACTOR_INVALID, TWO_FACTOR_REQUIRED } from "@/lib/auth/sign-in-errors";
import { sameOriginPath } from "@/lib/auth/redirect-target";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

export function LoginForm({ callbackUrl, sso, error: initialError }: { callbackUrl: string; sso: { id: string; name: string }[]; error: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  // Set once the password was right and the account asks for a second factor: the second step of the form.
  const [secondStep, setSecondStep] = useState<{ email: string; password: string } | null>(null);

  // next-auth's own signIn() hides the status and Retry-After of a refused attempt, so the form posts itself.
  async function attempt(credentials: { email: string; password: string; code?: string }) {
    setPending(true);
    setError(null);
    const res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: (await getCsrfToken()) ?? "", ...credentials, json: "true" }),
    }).catch(() => null);
    // A refused sign-in answers 401 with {url: ".../login?error=<reason>"}: the reason tells a missing second factor apart.
    const reason = res?.status === 401 ? await signInError(res) : null;
    setPending(false);
    if (res?.ok) {
      router.replace(sameOriginPath(callbackUrl, window.location.origin));
      router.refresh();
    } else if (res?.status === 429) {
      setError(`Too many attempts, try again in ${res.headers.get("retry-after") ?? "a few"} s.`);
    } else if (reason === TWO_FACTOR_REQUIRED) {
      setSecondStep({ email: credentials.email, password: credentials.password });
    } else if (reason === TWO_FACTOR_INVALID) {
      setError("Wrong or already used code. Enter the current code from your app, or a recovery code.");
    } else if (res?.status === 401) {
      setSecondStep(null);
      setError("Wrong email or password.");
    } else {
      setError("Sign-in failed. Try again.");
    }
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (secondStep) await attempt({ ...secondStep, code: String(form.get("code")) });
    else await attempt({ email: String(form.get("email")), password: String(form.get("password")) });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {secondStep ? (
        <Field label="Authentication code" hint="The 6-digit code from your authenticator app, or one of your recovery codes.">
          <Input name="code" required autoFocus autoComplete="one-time-code" inputMode="text" maxLength={64} />
        </Field>
      ) : (
        <>
          <Field label="Email">
            <Input name="email" type="email" required autoComplete="username" />
          </Field>
          <Field label="Password">
            <Input name="password" type="password" required autoComplete="current-password" />
          </Field>
        </>
      )}
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
      <Button className="w-full" type="submit" disabled={pending}>
        {pending ? "Signing in…" : secondStep ? "Verify" : "Sign in"}
      </Button>
      {secondStep && (
        <Button variant="link" className="w-full" onClick={() => (setSecondStep(null), setError(null))}>
          Start over
        </Button>
      )}
      {!secondStep &&
        sso.map((p) => (
          <Button variant="secondary" className="w-full"
            key={p.id}
            onClick={() => signIn(p.id, { callbackUrl })}
          >
            Sign in with {p.name}
          </Button>
        ))}
    </form>
  );
}

async function signInError(res: Response): Promise<string | null> {
  const body = (await res.json().catch(() => null)) as { url?: string } | null;
  try {
    return body?.url ? new URL(body.url, window.location.origin).searchParams.get("error") : null;
  } catch {
    return null;
  }
}
