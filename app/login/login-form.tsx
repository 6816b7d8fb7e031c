"use client";
import { getCsrfToken, signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sameOriginPath } from "@/lib/auth/redirect-target";

export function LoginForm({ callbackUrl, sso, error: initialError }: { callbackUrl: string; sso: { id: string; name: string }[]; error: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  // next-auth's own signIn() hides the status and Retry-After of a refused attempt, so the form posts itself.
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: (await getCsrfToken()) ?? "", email: String(form.get("email")), password: String(form.get("password")), json: "true" }),
    }).catch(() => null);
    setPending(false);
    if (res?.ok) {
      router.replace(sameOriginPath(callbackUrl, window.location.origin));
      router.refresh();
    } else if (res?.status === 429) {
      setError(`Too many attempts, try again in ${res.headers.get("retry-after") ?? "a few"} s.`);
    } else if (res?.status === 401) {
      setError("Wrong email or password.");
    } else {
      setError("Sign-in failed. Try again.");
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" required autoComplete="username" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input name="password" type="password" required autoComplete="current-password" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
      </label>
      {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
      <button type="submit" disabled={pending} className="w-full rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
        {pending ? "Signing in…" : "Sign in"}
      </button>
      {sso.map((p) => (
        <button
          key={p.id}
          type="button"
          onClick={() => signIn(p.id, { callbackUrl })}
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-100"
        >
          Sign in with {p.name}
        </button>
      ))}
    </form>
  );
}
