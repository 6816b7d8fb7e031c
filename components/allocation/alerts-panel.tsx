"use client";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { formatDateTime } from "@/lib/format";
import { useAcknowledgeAlert, useAlerts } from "./queries";

export function AlertsPanel({ canAcknowledge, timeZone }: { canAcknowledge: boolean; timeZone: string }) {
  const open = useAlerts("open");
  const acknowledge = useAcknowledgeAlert();
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Open alerts">
      <h2 className="mb-2 font-medium">Open alerts</h2>
      {open.isPending ? (
        <Loading what="alerts" />
      ) : open.isError ? (
        <ErrorState error={open.error} />
      ) : open.data.alerts.length === 0 ? (
        <Empty message="No open alerts." />
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {open.data.alerts.map((a) => (
            <li key={a.id} className="flex items-start justify-between gap-4 py-2">
              <div>
                <span className={`mr-2 rounded px-1.5 py-0.5 text-xs ${a.kind === "anomaly" ? "bg-purple-100 text-purple-800" : a.kind === "forecast" ? "bg-amber-100 text-amber-800" : "bg-rose-100 text-rose-800"}`}>{a.kind}</span>
                {a.message}
                <div className="text-xs text-slate-500">since <time dateTime={a.openedAt}>{formatDateTime(a.openedAt, timeZone, false)}</time> ({timeZone})</div>
              </div>
              {canAcknowledge && (
                <button type="button" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate(a.id)} className="shrink-0 rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100">
                  Acknowledge
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {acknowledge.isError && <p role="alert" className="mt-2 text-sm text-rose-700">{acknowledge.error.message}</p>}
    </section>
  );
}
