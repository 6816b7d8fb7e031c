"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";


export function SetupForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      token,
      organizationName: String(form.get("organizationName")),
      name: String(form.get("name")),
      email: String(form.get("email")),
      password: String(form.get("password")),
    };
    setPending(true);
    setError(null);
    const res = await fetch("/api/setup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) {
      const json = (await res.json().catch(() => null)) as { error?: { message: string; details?: { path: string; message: string }[] } } | null;
      setPending(false);
      setError([json?.error?.message ?? "Setup failed", ...(json?.error?.details ?? []).map((d) => `${d.path}: ${d.message}`)].join(" — "));
      return;
    }
    const result = await signIn("credentials", { email: body.email, password: body.password, redirect: false });
    router.replace(result?.ok ? "/" : "/login");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <Field label="Organization name">
        <Input name="organizationName" required defaultValue="My organization" />
      </Field>
      <Field label="Your name">
        <Input name="name" required autoComplete="name" />
      </Field>
      <Field label="Email">
        <Input name="email" type="email" required autoComplete="username" />
      </Field>
      <Field label="Password (at least 12 characters)">
        <Input name="password" type="password" required minLength={12} autoComplete="new-password" />
      </Field>
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
      <Button className="w-full" type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create the admin and sign in"}
      </Button>
    </form>
  );
}
