"use client";
// Who receives what, as a grid: one row per notification kind, one checkbox column per scope (the organization and
// each department the caller may choose). Used for a user's own email (Notifications page) and, by admins, for
// each organization channel (Alerts and channels).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState, Loading } from "@/components/ui/states";
import { ORGANIZATION_ONLY_KINDS } from "@/lib/alerts/kinds";
import type { NotificationKind, SubscriptionItem, SubscriptionsView } from "@/lib/alerts/schemas";

export const KIND_LABELS: Record<NotificationKind, string> = {
  budget: "Budget thresholds",
  forecast: "Forecast over budget",
  anomaly: "Spend anomalies",
  commitment: "Commitments and prepaid credits",
  "digest.daily": "Daily spend digest",
  "digest.weekly": "Weekly spend digest",
  "statement.monthly": "Monthly statement",
  "invoice.finalized": "Invoice finalized",
  "invoices.run": "Invoice run summary",
};
const KINDS = Object.keys(KIND_LABELS) as NotificationKind[];
const ORG = "";

const itemKey = (kind: string, department: string | null) => `${kind}|${department ?? ORG}`;

/** Loads `url` (GET) and saves with PUT; `children` may show more of the view (e.g. the address). */
export function SubscriptionsEditor<V extends SubscriptionsView>({ url, queryKey, title, header }: { url: string; queryKey: readonly unknown[]; title: string; header?: (view: V) => React.ReactNode }) {
  const view = useQuery({ queryKey, queryFn: ({ signal }) => apiFetch<V>(url, { signal }) });
  if (view.isError) return <ErrorState error={view.error} />;
  if (!view.data) return <Loading what="subscriptions" />;
  // Keyed by the saved state, so the grid starts again from the server's answer after each save.
  const saved = view.data.subscriptions.map((s) => itemKey(s.kind, s.department)).sort().join(",");
  return (
    <div className="space-y-3">
      {header?.(view.data)}
      <Grid key={saved} view={view.data} url={url} queryKey={queryKey} title={title} />
    </div>
  );
}

function Grid({ view, url, queryKey, title }: { view: SubscriptionsView; url: string; queryKey: readonly unknown[]; title: string }) {
  const client = useQueryClient();
  const [chosen, setChosen] = useState(() => new Set(view.subscriptions.map((s) => itemKey(s.kind, s.department))));
  const scopes = [...(view.organizationWide ? [{ code: ORG, name: "Organization" }] : []), ...view.departments];
  const save = useMutation({
    mutationFn: () => {
      const subscriptions: SubscriptionItem[] = [...chosen].map((k) => {
        const [kind, department] = k.split("|") as [NotificationKind, string];
        return { kind, department: department === ORG ? null : department };
      });
      return apiFetch<SubscriptionsView>(url, { method: "PUT", body: JSON.stringify({ subscriptions }) });
    },
    meta: { success: "Subscriptions saved", error: "Could not save the subscriptions" },
    onSuccess: (data) => client.setQueryData(queryKey, data),
  });
  const toggle = (key: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  // Department-scoped users see no organization column, so no invoice rows either.
  const kinds = view.organizationWide ? KINDS : KINDS.filter((k) => !ORGANIZATION_ONLY_KINDS.includes(k));
  const columns: Column<NotificationKind>[] = [
    { id: "kind", header: "Notification", value: (k) => KIND_LABELS[k] },
    ...scopes.map((s): Column<NotificationKind> => ({
      id: `scope-${s.code || "org"}`,
      header: s.code || s.name,
      csv: false,
      cell: (k) =>
        s.code && ORGANIZATION_ONLY_KINDS.includes(k) ? null : (
        <input
          type="checkbox"
          className="h-4 w-4 accent-primary"
          aria-label={`${KIND_LABELS[k]}: ${s.code ? `${s.name} (${s.code})` : "Organization"}`}
          checked={chosen.has(itemKey(k, s.code || null))}
          onChange={() => toggle(itemKey(k, s.code || null))}
        />
        ),
    })),
  ];
  return (
    <DataTable
      title={title}
      description="Alerts organization-wide cover every department; digests and statements organization-wide are the organization's own report."
      columns={columns}
      rows={kinds}
      rowKey={(k) => k}
      search={false}
      actions={
        <Button onClick={() => save.mutate()} disabled={save.isPending}>
          Save subscriptions
        </Button>
      }
    />
  );
}
