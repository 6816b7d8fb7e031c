"use client";
// The Security page's sections. Each change goes through /api/v1/account/* and then re-reads the page.
import { signIn, signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, ApiClientError } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";

type Overview = {
  passwordLogin: boolean;
  twoFactor: { enabled: boolean; recoveryCodesLeft: number };
  activeSessions: number;
  identities: { id: number; provider: string; email: string; createdAt: Date; lastLoginAt: Date | null }[];
  providers: { id: string; name: string }[];
};

function message(error: unknown): string {
  if (error instanceof ApiClientError) return error.details?.length ? error.details.map((d) => d.message).join("; ") : error.message;
  return "Something went wrong; try again.";
}

/** Runs an API call with a pending flag; the error (or success) text is shown under the section and as a toast. */
function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(fn: () => Promise<string | null>) {
    setPending(true);
    setError(null);
    setDone(null);
    try {
      const result = await fn();
      setDone(result);
      if (result) toast.success(result);
    } catch (e) {
      setError(message(e));
      toast.error("Could not save", message(e));
    } finally {
      setPending(false);
    }
  }
  const status = (
    <>
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
      {done && <p className="text-sm text-success">{done}</p>}
    </>
  );
  return { pending, run, status };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card aria-label={title} className="space-y-3 p-5">
      <CardTitle className="text-lg">{title}</CardTitle>
      {children}
    </Card>
  );
}

const post = <T,>(url: string, body?: unknown) => apiFetch<T>(url, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });

function PasswordSection() {
  const { pending, run, status } = useAction();
  return (
    <Section title="Password">
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          void run(async () => {
            await post("/api/v1/account/password", { currentPassword: data.get("currentPassword"), newPassword: data.get("newPassword") });
            form.reset();
            return "Password changed. Your other sessions were signed out.";
          });
        }}
      >
        <Field label="Current password">
          <Input name="currentPassword" type="password" required autoComplete="current-password" />
        </Field>
        <Field label="New password (at least 12 characters)">
          <Input name="newPassword" type="password" required minLength={12} autoComplete="new-password" />
        </Field>
        <Button type="submit" disabled={pending} variant="primary">
          Change password
        </Button>
      </form>
      {status}
    </Section>
  );
}

function TwoFactorSection({ twoFactor }: { twoFactor: Overview["twoFactor"] }) {
  const router = useRouter();
  const { pending, run, status } = useAction();
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string; qrCode: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  if (recoveryCodes) {
    return (
      <Section title="Two-factor authentication">
        <p className="text-sm">Two-factor authentication is on. Save these recovery codes now: each signs you in once if you lose your device, and they are not shown again.</p>
        <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 font-mono text-sm">
          {recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <Button type="button" variant="primary" onClick={() => (setRecoveryCodes(null), router.refresh())}>
          I have saved them
        </Button>
      </Section>
    );
  }
  if (twoFactor.enabled) {
    return (
      <Section title="Two-factor authentication">
        <p className="text-sm">
          On. {twoFactor.recoveryCodesLeft} recovery code{twoFactor.recoveryCodesLeft === 1 ? "" : "s"} left.
        </p>
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            void run(async () => {
              await post("/api/v1/account/two-factor/disable", { password: data.get("password"), code: data.get("code") });
              router.refresh();
              return "Two-factor authentication is off.";
            });
          }}
        >
          <Field label="Password">
          <Input name="password" type="password" required autoComplete="current-password" />
        </Field>
          <Field label="Current code or a recovery code">
          <Input name="code" required autoComplete="one-time-code" />
        </Field>
          <Button type="submit" disabled={pending} variant="secondary">
            Turn off two-factor
          </Button>
        </form>
        {status}
      </Section>
    );
  }
  return (
    <Section title="Two-factor authentication">
      {!enrolment ? (
        <>
          <p className="text-sm">Off. With two-factor on, signing in with your password also asks for a code from an authenticator app.</p>
          <Button
            type="button"
            disabled={pending}
            variant="primary"
            onClick={() => void run(async () => (setEnrolment(await post("/api/v1/account/two-factor")), null))}
          >
            Set up two-factor
          </Button>
        </>
      ) : (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            void run(async () => {
              const result = await post<{ recoveryCodes: string[] }>("/api/v1/account/two-factor/confirm", { code: data.get("code") });
              setEnrolment(null);
              setRecoveryCodes(result.recoveryCodes);
              return null;
            });
          }}
        >
          <p className="text-sm">Scan this QR code with your authenticator app, or enter the secret by hand, then type the 6-digit code it shows.</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated on the server, nothing to optimise */}
          <img src={enrolment.qrCode} alt="QR code for your authenticator app" width={192} height={192} className="rounded border border-border" />
          <p className="text-sm">
            Secret: <code data-testid="totp-secret" className="font-mono">{enrolment.secret}</code>
          </p>
          <p className="break-all text-xs text-muted-foreground">{enrolment.uri}</p>
          <Field label="Code from the app">
          <Input name="code" required inputMode="numeric" pattern="\d{6}" autoComplete="one-time-code" />
        </Field>
          <Button type="submit" disabled={pending} variant="primary">
            Turn on two-factor
          </Button>
        </form>
      )}
      {status}
    </Section>
  );
}

function IdentitiesSection({ identities, providers }: Pick<Overview, "identities" | "providers">) {
  const router = useRouter();
  const { pending, run, status } = useAction();
  if (providers.length === 0 && identities.length === 0) return null;
  return (
    <Section title="Single sign-on">
      {identities.length ? (
        <ul className="space-y-1 text-sm">
          {identities.map((i) => (
            <li key={i.id} className="flex items-center justify-between">
              <span>
                {providers.find((p) => p.id === i.provider)?.name ?? i.provider}: {i.email}
              </span>
              <Button
                type="button"
                disabled={pending}
                variant="link" size="sm" className="underline"
                onClick={() =>
                  void run(async () => {
                    await apiFetch(`/api/v1/account/identities/${i.id}`, { method: "DELETE" });
                    router.refresh();
                    return "Unlinked.";
                  })
                }
              >
                Unlink
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm">No identity linked. An identity is linked only from here, while you are signed in: an SSO login with the same email does not open this account by itself.</p>
      )}
      <div className="flex flex-wrap gap-2">
        {providers.map((p) => (
          <Button
            key={p.id}
            type="button"
            disabled={pending}
            variant="secondary"
            onClick={() =>
              void run(async () => {
                await post("/api/v1/account/identities", { provider: p.id });
                await signIn(p.id, { callbackUrl: "/account" });
                return null;
              })
            }
          >
            Link {p.name}
          </Button>
        ))}
      </div>
      {status}
    </Section>
  );
}

function SessionsSection({ activeSessions }: { activeSessions: number }) {
  const router = useRouter();
  const { pending, run, status } = useAction();
  return (
    <Section title="Sessions">
      <p className="text-sm">
        {activeSessions} active session{activeSessions === 1 ? "" : "s"} (browsers signed in to your account).
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          disabled={pending}
          variant="secondary"
          onClick={() =>
            void run(async () => {
              const r = await post<{ sessionsEnded: number }>("/api/v1/account/sign-out-everywhere", { includeThisSession: false });
              router.refresh();
              return `Signed out ${r.sessionsEnded} other session${r.sessionsEnded === 1 ? "" : "s"}.`;
            })
          }
        >
          Sign out other sessions
        </Button>
        <Button
          type="button"
          disabled={pending}
          variant="secondary"
          onClick={() =>
            void run(async () => {
              await post("/api/v1/account/sign-out-everywhere", { includeThisSession: true });
              await signOut({ callbackUrl: "/login" });
              return null;
            })
          }
        >
          Sign out everywhere
        </Button>
      </div>
      {status}
    </Section>
  );
}

export function SecurityPanel({ overview }: { overview: Overview }) {
  return (
    <div className="space-y-4">
      {overview.passwordLogin && <PasswordSection />}
      {overview.passwordLogin && <TwoFactorSection twoFactor={overview.twoFactor} />}
      <IdentitiesSection identities={overview.identities} providers={overview.providers} />
      <SessionsSection activeSessions={overview.activeSessions} />
    </div>
  );
}
