"use client";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { useAcknowledgeAlert, useAlerts } from "./queries";
import { Button } from "@/components/ui/button";

export function AlertsPanel({ canAcknowledge }: { canAcknowledge: boolean }) {
  const open = useAlerts("open");
  const acknowledge = useAcknowledgeAlert();
  return (
    <section className="rounded-card border border-border bg-surface p-4" aria-label="Open alerts">
      <h2 className="mb-2 font-medium">Open alerts</h2>
      {open.isPending ? (
        <Loading what="alerts" />
      ) : open.isError ? (
        <ErrorState error={open.error} />
      ) : open.data.alerts.length === 0 ? (
        <Empty message="No open alerts." />
      ) : (
        <ul className="divide-y divide-border text-sm">
          {open.data.alerts.map((a) => (
            <li key={a.id} className="flex items-start justify-between gap-4 py-2">
              <div>
                <span className={`mr-2 rounded px-1.5 py-0.5 text-xs ${a.kind === "anomaly" ? "bg-purple-100 text-purple-800" : a.kind === "forecast" ? "bg-amber-100 text-warning" : "bg-rose-100 text-danger"}`}>{a.kind}</span>
                {a.message}
                <div className="text-xs text-muted-foreground">since {new Date(a.openedAt).toLocaleString()}</div>
              </div>
              {canAcknowledge && (
                <Button variant="secondary" size="sm" className="shrink-0" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate(a.id)}>
                  Acknowledge
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {acknowledge.isError && <p role="alert" className="mt-2 text-sm text-danger">{acknowledge.error.message}</p>}
    </section>
  );
}
