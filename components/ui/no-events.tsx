import { roleAllows } from "@/lib/auth/permissions";
import type { UserCaller } from "@/lib/auth/caller";
import { EmptyState } from "./empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** A dashboard's whole body while no event exists at all (for a scoped user: none in their departments). */
export function NoEvents({ user, what }: { user: UserCaller; what: string }) {
  if (roleAllows(user.role, "admin")) {
    return (
      <EmptyState
        testId="no-events"
        title={`No events yet, so there is no ${what} to show.`}
        actions={[
          { href: "/getting-started", label: "Getting started" },
          { href: "/admin/api-keys", label: "Create an API key" },
          { href: "/import", label: "Import a file" },
        ]}
      >
        Send your agents&apos; first usage event with an API key, import a CSV or NDJSON file, or connect OpenAI, Anthropic or Salesforce.
      </EmptyState>
    );
  }
  return (
    <EmptyState testId="no-events" title={`No events yet, so there is no ${what} to show.`} actions={[{ href: "/getting-started", label: "Getting started" }]}>
      {user.departmentIds
        ? "Nothing has been booked to your departments yet. Once agents report usage for them, it appears here."
        : "An administrator connects the agents and their platforms; their usage appears here as it arrives."}
    </EmptyState>
  );
}

/** The page with its title and the empty state in place of the charts. */
export function NoEventsPage({ user, title, what }: { user: UserCaller; title: string; what: string }) {
  return (
    <div className="space-y-6">
      <PageHeader title={title} />
      <NoEvents user={user} what={what} />
    </div>
  );
}
