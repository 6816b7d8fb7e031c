import Link from "next/link";
import { headers } from "next/headers";
import { DepartmentUpload } from "@/components/onboarding/department-upload";
import { FirstEventIndicator } from "@/components/onboarding/first-event";
import { FirstKeyAndSnippets } from "@/components/onboarding/snippets";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { env } from "@/lib/env";
import { checklist } from "@/lib/onboarding/checklist";
import { latestEvent } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";
import { cardClass } from "@/components/ui/card";

/** The public URL the snippets should call: NEXTAUTH_URL when set, else the address this page was requested at. */
async function origin(): Promise<string> {
  const configured = env().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
}

function Step({ n, title, done, optional, children }: { n: number; title: string; done: boolean; optional?: boolean; children: React.ReactNode }) {
  return (
    <li className={cardClass} data-testid={`step-${n}`} data-done={done}>
      <div className="flex items-start gap-3">
        <span
          aria-hidden
          className={`mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${done ? "border border-success-border bg-success-soft text-success" : "border border-input text-muted-foreground"}`}
        >
          {done ? "✓" : n}
        </span>
        <div className="min-w-0 flex-1 space-y-2">
          <h2 className="font-medium">
            {title} <span className={`text-xs font-normal ${done ? "text-success" : "text-muted-foreground"}`}>{done ? "done" : optional ? "optional" : "not done yet"}</span>
          </h2>
          {children}
        </div>
      </div>
    </li>
  );
}

const link = "text-accent-foreground hover:underline";

export default async function GettingStartedPage() {
  const user = await requirePageUser("/getting-started");
  const isAdmin = roleAllows(user.role, "admin");
  const [steps, latest, base] = await Promise.all([checklist(user), latestEvent(user), origin()]);
  const done = [steps.settings.done, steps.departments.done, steps.apiKeys.done && steps.events.done].filter(Boolean).length;
  const adminOnly = (what: string) => (isAdmin ? null : <p className="text-sm text-muted-foreground">An administrator {what}.</p>);
  return (
    <div className="max-w-4xl space-y-6">
      <header>
        <PageHeader title="Getting started" description={<>{done} of 3 required steps done. Each step is checked against your data; once the first event arrives, the dashboards fill in.</>} />
      </header>
      <ol className="space-y-4">
        <Step n={1} title="Name, currency and time zone" done={steps.settings.done}>
          <p className="text-sm text-muted-foreground">
            Now: <strong>{steps.settings.name}</strong>, {steps.settings.currency}, days and months in {steps.settings.timeZone}. Events must report cost in
            this currency; change the time zone before the data arrives (changing it later rebuilds every rollup).
          </p>
          {isAdmin ? (
            <Link href="/admin/settings" className={`text-sm ${link}`}>
              Review the organization settings →
            </Link>
          ) : (
            adminOnly("reviews these settings")
          )}
        </Step>
        <Step n={2} title="Departments (cost centers)" done={steps.departments.done}>
          <p className="text-sm text-muted-foreground">
            {steps.departments.count} active department{steps.departments.count === 1 ? "" : "s"}. Events and agents are booked to departments; budgets
            and chargeback follow them.{" "}
            {roleAllows(user.role, "budgets:write") && (
              <Link href="/admin/departments" className={link}>
                Create them by hand →
              </Link>
            )}
          </p>
          {isAdmin ? <DepartmentUpload /> : adminOnly("creates the departments")}
        </Step>
        <Step n={3} title="An API key and your first event" done={steps.apiKeys.done && steps.events.done}>
          <p className="text-sm text-muted-foreground">
            {steps.apiKeys.count} active API key{steps.apiKeys.count === 1 ? "" : "s"}.{" "}
            {isAdmin && (
              <Link href="/admin/api-keys" className={link}>
                Manage API keys →
              </Link>
            )}{" "}
            Send one event with any of these; the indicator below turns green when it arrives.
          </p>
          {isAdmin ? <FirstKeyAndSnippets origin={base} currency={steps.settings.currency} timestamp={new Date().toISOString().slice(0, 19) + "Z"} canCreateKey /> : adminOnly("creates API keys")}
          <FirstEventIndicator initial={latest} />
          {isAdmin && (
            <p className="text-sm text-muted-foreground">
              Have a file of past usage instead?{" "}
              <Link href="/import" className={link}>
                Import CSV or NDJSON →
              </Link>
            </p>
          )}
        </Step>
        <Step n={4} title="Connect OpenAI, Anthropic or Salesforce" done={steps.connectors.openai || steps.connectors.anthropic || steps.connectors.salesforce} optional>
          <p className="text-sm text-muted-foreground">
            Pull usage and cost from the providers&apos; organization APIs on a schedule, and push invoices and usage summaries to Salesforce.
          </p>
          <ul className="text-sm">
            <li>OpenAI: {steps.connectors.openai ? "connected" : "not connected"}</li>
            <li>Anthropic: {steps.connectors.anthropic ? "connected" : "not connected"}</li>
            <li>Salesforce: {steps.connectors.salesforce ? "connected" : "not connected"}</li>
          </ul>
          {isAdmin ? (
            <Link href="/admin/connectors" className={`text-sm ${link}`}>
              Set up connectors →
            </Link>
          ) : (
            adminOnly("sets up connectors")
          )}
        </Step>
        <Step n={5} title="Invite your colleagues" done={steps.users.done} optional>
          <p className="text-sm text-muted-foreground">
            {steps.users.count} active user{steps.users.count === 1 ? "" : "s"}. Roles: finance (spend, budgets, invoices), ops (workload and ROI), viewer
            (read-only), each optionally limited to departments.
          </p>
          {isAdmin ? (
            <Link href="/admin/users" className={`text-sm ${link}`}>
              Invite users →
            </Link>
          ) : (
            adminOnly("invites users")
          )}
        </Step>
      </ol>
    </div>
  );
}
