"use client";
// The month's alerts that still hold: open and acknowledged ones (an acknowledged overrun is still an overrun).
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, CardTitle } from "@/components/ui/card";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { formatDateTime } from "@/lib/format";
import { useAcknowledgeAlert, useAlerts } from "./queries";

const KIND_TONE = { anomaly: "info", forecast: "warning", budget: "danger", budget_limit: "danger", commitment: "warning" } as const;

export function AlertsPanel({ period, canAcknowledge, timeZone }: { period: string; canAcknowledge: boolean; timeZone: string }) {
  const alerts = useAlerts(period);
  const acknowledge = useAcknowledgeAlert();
  const active = alerts.data?.alerts.filter((a) => a.status !== "cleared") ?? [];
  return (
    <Card aria-label="Alerts">
      <CardHeader>
        <CardTitle>Alerts for {period}</CardTitle>
        {canAcknowledge && <Link href="/admin/alerts" className="text-sm text-accent-foreground hover:underline">Thresholds and channels</Link>}
      </CardHeader>
      {alerts.isPending ? (
        <Loading what="alerts" />
      ) : alerts.isError ? (
        <ErrorState error={alerts.error} />
      ) : active.length === 0 ? (
        <Empty message={`No open alerts for ${period}.`} />
      ) : (
        <ul className="divide-y divide-border text-sm" data-testid="alerts-list">
          {active.map((a) => (
            <li key={a.id} className="flex items-start justify-between gap-4 py-2" data-testid={`alert-${a.key}`}>
              <div>
                <Badge tone={KIND_TONE[a.kind]} className="mr-2">{a.kind}</Badge>
                {a.status === "acknowledged" && <Badge className="mr-2">acknowledged</Badge>}
                {a.message}
                <div className="text-xs text-muted-foreground">since <time dateTime={a.openedAt}>{formatDateTime(a.openedAt, timeZone, false)}</time> ({timeZone})</div>
              </div>
              {canAcknowledge && a.status === "open" && (
                <Button variant="secondary" size="sm" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate(a.id)}>
                  Acknowledge
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
