// The signed-in user's Security page: password, two-factor, linked SSO identities, sign out everywhere. Outside the
// dashboard layout because a user the organization requires to enrol in two-factor is sent here before anything else.
import Link from "next/link";
import { SecurityPanel } from "@/components/account/security";
import { accountOverview } from "@/lib/auth/account";
import { ssoProviderList } from "@/lib/auth/options";
import { requirePageUser, SECURITY_PAGE } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const user = await requirePageUser(SECURITY_PAGE);
  const overview = await accountOverview(user, ssoProviderList());
  return (
    <main id="main" className="mx-auto max-w-2xl space-y-6 p-6">
      <header className="flex items-baseline justify-between">
        <PageHeader title="Security" />
        {!overview.mustEnrolTwoFactor && (
          <Link href="/" className="text-sm text-muted-foreground underline">
            Back to AgentLedger
          </Link>
        )}
      </header>
      <p className="text-sm text-muted-foreground">
        Signed in as {overview.email} ({overview.role}).
      </p>
      {overview.mustEnrolTwoFactor && (
        <p role="alert" className="rounded-md border border-warning-border bg-warning-soft p-3 text-sm text-warning">
          Your organization requires two-factor authentication for the admin and finance roles. Set it up below to continue.
        </p>
      )}
      <SecurityPanel overview={overview} />
    </main>
  );
}
