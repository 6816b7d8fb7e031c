import { Button } from "@/components/ui/button";

export const dynamic = "force-dynamic";

// Opened from the unsubscribe link of a notification email: one button, no sign-in (the signed token is the credential).
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<{ token?: string; done?: string }> }) {
  const { token, done } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-card border border-border bg-surface p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">AgentLedger notifications</h1>
        {done ? (
          <p role="status" className="mt-4 text-sm">You are unsubscribed: this address gets no more alert emails from this channel.</p>
        ) : (
          <form method="post" action={`/api/v1/unsubscribe?token=${encodeURIComponent(token ?? "")}`} className="mt-4 space-y-4">
            <p className="text-sm text-muted-foreground">Stop the alert emails sent to this address?</p>
            <Button type="submit">Unsubscribe</Button>
          </form>
        )}
      </div>
    </main>
  );
}
