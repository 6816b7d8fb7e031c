"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { fieldErrors, type FieldErrors } from "@/components/forms/field-errors";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { invitationAccept } from "@/lib/admin/invitation-schemas";

export function InviteForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      aria-label="Set your password"
      noValidate
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const password = String(f.get("password") ?? "");
        const found = fieldErrors(invitationAccept, { token, password });
        if (password !== String(f.get("confirm") ?? "")) found.confirm = "The two passwords differ";
        setErrors(found);
        if (Object.keys(found).length) return;
        setPending(true);
        setFailure(null);
        try {
          await apiFetch("/api/v1/invitations/accept", { method: "POST", body: JSON.stringify({ token, password }) });
          router.push(`/login?invited=${encodeURIComponent(email)}`);
        } catch (error) {
          setFailure((error as Error).message);
          setPending(false);
        }
      }}
    >
      <Field label="Password" error={errors.password} hint="At least 12 characters">
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
      <Field label="Repeat password" error={errors.confirm}>
        <Input name="confirm" type="password" autoComplete="new-password" />
      </Field>
      {failure && <p role="alert" className="text-sm text-danger">{failure}</p>}
      <Button type="submit" className="w-full" disabled={pending}>Set password</Button>
    </form>
  );
}
