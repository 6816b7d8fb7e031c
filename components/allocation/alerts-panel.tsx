"use client";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { useAcknowledgeAlert, useAlerts } from "./queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export function AlertsPanel({ canAcknowledge }: { canAcknowledge: boolean }) {
  const open = useAlerts("open");
  const acknowledge = useAcknowledgeAlert();
  return (
    <Card aria-label="Open alerts">
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
                <Badge className="mr-2" tone={a.kind === "anomaly" ? "info" : a.kind === "forecast" ? "warning" : "danger"}>{a.kind}</Badge>
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
    </Card>
  );
}
