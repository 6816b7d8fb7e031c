import { setupTokenUsable } from "@/lib/setup/bootstrap";
import { SetupForm } from "./setup-form";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";

export const dynamic = "force-dynamic";

// The first admin's page, opened from the one-time link that production start-up writes to a file.
export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const usable = token ? await setupTokenUsable(token) : false;
  return (
    <main id="main" className="flex min-h-screen items-center justify-center p-6">
      <Card className="w-full max-w-sm shadow-sm p-8">
        <PageHeader title="Set up AgentLedger" />
        {usable && token ? (
          <>
            <p className="mb-6 mt-1 text-sm text-muted-foreground">Create the first administrator. This link works once.</p>
            <SetupForm token={token} />
          </>
        ) : (
          <p role="alert" className="mt-4 text-sm text-foreground">
            This setup link is invalid, expired or already used. Restart the server for a new link (its file path is printed at start-up), or
            run <code>npm run admin:create -- --email you@example.com</code>. If an admin exists, <a className="text-accent-foreground underline" href="/login">sign in</a>.
          </p>
        )}
      </Card>
    </main>
  );
}
