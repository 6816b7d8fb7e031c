import { lookupInvitation } from "@/lib/admin/invitations";
import { InviteForm } from "./invite-form";

export const dynamic = "force-dynamic";

// An invitee's page, opened from the link an admin passed on: set a password, then sign in.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await lookupInvitation(token).catch(() => null);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-card border border-border bg-surface p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">Join AgentLedger</h1>
        {invitation ? (
          <>
            <p className="mt-1 mb-6 text-sm text-muted-foreground">
              {invitation.name}, you are invited as <strong>{invitation.role}</strong> with <strong>{invitation.email}</strong>. Choose a password; this link works once.
            </p>
            <InviteForm token={token} email={invitation.email} />
          </>
        ) : (
          <p role="alert" className="mt-4 text-sm">
            This invitation link is invalid, expired, revoked or already used. Ask your administrator for a new one, or <a className="text-accent-foreground underline" href="/login">sign in</a>.
          </p>
        )}
      </div>
    </main>
  );
}
