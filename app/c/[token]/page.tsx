import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CustomerViewTables } from "@/components/billing/customer-view";
import { RateLimitedError } from "@/lib/api/errors";
import { enforcePublicRateLimit } from "@/lib/api/rate-limit";
import { clientAddress } from "@/lib/auth/client-address";
import { customerView } from "@/lib/billing/customer-links";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

// The token is the credential: keep it out of Referer headers and search indexes.
export const metadata: Metadata = { title: "Invoices and usage", referrer: "no-referrer", robots: { index: false, follow: false } };

// Opened from a customer view link (no sign-in): that customer's finalized invoices and usage to date, read-only.
// An unknown, expired or revoked link is the plain 404 page, whatever the reason.
export default async function CustomerViewPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  try {
    await enforcePublicRateLimit(clientAddress(await headers()));
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    return <p role="alert" className="p-6 text-sm">Too many requests from your address: try again in a minute.</p>;
  }
  const view = await customerView(token);
  if (!view) notFound();
  const org = await orgSettings();
  return (
    <main className="mx-auto max-w-4xl space-y-6 p-6">
      <header>
        <p className="text-sm text-muted-foreground">{org.name}</p>
        <h1 className="text-2xl font-semibold">{view.customer.name}</h1>
        <p className="text-sm text-muted-foreground">
          Read-only view of your invoices and usage. This link expires on {view.expiresAt.slice(0, 10)}.
        </p>
      </header>
      <CustomerViewTables token={token} timeZone={org.timeZone} period={view.period} invoices={view.invoices} usage={view.usage} />
    </main>
  );
}
