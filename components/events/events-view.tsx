"use client";
// The events explorer: the raw events behind a total, server-paginated (older pages on demand), with the total of
// everything that matches and the sum of what is listed, so the two can be compared.
import { useInfiniteQuery } from "@tanstack/react-query";
import Decimal from "decimal.js";
import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Button } from "@/components/ui/button";
import { StatCard } from "@/components/ui/stat-card";
import { ErrorState, Loading } from "@/components/ui/states";
import { formatCompact, formatMoney, formatNumber } from "@/lib/format";
import { eventKeys, fetchEvents, type EventsResponse } from "./queries";

type Event = EventsResponse["events"][number];

export function EventsView({ params }: { params: Record<string, string> }) {
  const query = useInfiniteQuery({
    queryKey: eventKeys.list(params),
    queryFn: ({ pageParam, signal }) => fetchEvents(params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  if (query.isPending) return <Loading what="events" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const first = query.data.pages[0]!;
  const events = query.data.pages.flatMap((p) => p.events);
  const listed = events.reduce((sum, e) => sum.plus(e.cost), new Decimal(0));
  const money = (v: string | Decimal, digits = 2) => formatMoney(typeof v === "string" ? v : v.toFixed(), first.currency, digits);
  const columns: Column<Event>[] = [
    { id: "time", header: `Time (${first.timeZone})`, type: "datetime", value: (e) => e.timestamp },
    { id: "agent", header: "Agent", value: (e) => e.agent, cell: (e) => <Link href={`/agents/${encodeURIComponent(e.agent)}?from=${first.from}&to=${first.to}`} className="text-accent-foreground hover:underline">{e.agentName}</Link> },
    { id: "type", header: "Type", value: (e) => e.type },
    { id: "department", header: "Department", value: (e) => e.department },
    { id: "customer", header: "Customer", value: (e) => e.customer },
    { id: "model", header: "Model", value: (e) => e.model },
    { id: "provider", header: "Provider", value: (e) => e.provider },
    { id: "task", header: "Task", value: (e) => e.taskType, cell: (e) => (e.taskType || e.handledBy ? `${e.taskType ?? "—"} · ${e.handledBy ?? "?"} · ${e.taskStatus ?? "?"}` : "—") },
    { id: "quantity", header: "Quantity", type: "number", digits: 2, value: (e) => e.quantity },
    { id: "inputTokens", header: "Tokens in", type: "number", value: (e) => e.inputTokens, cell: (e) => formatCompact(e.inputTokens) },
    { id: "outputTokens", header: "Tokens out", type: "number", value: (e) => e.outputTokens, cell: (e) => formatCompact(e.outputTokens) },
    { id: "cost", header: "Cost", type: "money", currency: first.currency, digits: 6, value: (e) => e.cost, cell: (e) => (e.costSource === "unpriced" ? <span className="text-warning" title="Tokens without a price: cost unknown, counted as 0">not priced</span> : e.fxPending ? <span className="text-warning" title={`Sent in ${e.originalCurrency}: counted as 0 until an FX rate is entered`}>awaits FX rate</span> : money(e.cost, 6)) },
    // As sent, when in another currency: the amount, its currency and the rate used (none yet: pending).
    { id: "originalCost", header: "Original cost", type: "number", digits: 6, value: (e) => e.originalCost, cell: (e) => (e.originalCost === null ? "—" : `${formatNumber(e.originalCost, 6)} ${e.originalCurrency}`) },
    { id: "originalCurrency", header: "Original currency", value: (e) => e.originalCurrency },
    { id: "fxRate", header: "FX rate", value: (e) => e.fxRate, cell: (e) => (e.fxPending ? "pending" : (e.fxRate ?? "—")) },
    { id: "fxRateDate", header: "FX rate date", type: "date", value: (e) => e.fxRateDate, cell: (e) => (e.fxPending ? "pending" : (e.fxRateDate ?? "—")) },
    { id: "event", header: "Event", value: (e) => `${e.source}/${e.key}`, cell: (e) => <span className="text-muted-foreground">{e.correctionKind ? `${e.correctionKind} · ` : ""}{e.source}/{e.key}</span> },
  ];
  return (
    <div className="space-y-4" aria-busy={query.isFetching}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label="Matching events" testId="events-total-events" value={formatNumber(first.totals.events)} />
        <StatCard label="Cost of all matching events" testId="events-total-cost" value={money(first.totals.cost)} />
        <StatCard label={`Cost of the ${formatNumber(events.length)} listed`} testId="events-listed-cost" value={money(listed)} />
      </div>
      {first.rawEventsFrom && first.rawEventsFrom.slice(0, 10) > first.from && (
        <p role="note" data-testid="events-retention" className="text-sm text-warning">
          Raw events before {first.rawEventsFrom.slice(0, 10)} (UTC) were removed by the raw event retention: the totals above include them, the list does not.
        </p>
      )}
      <DataTable title="Events" columns={columns} rows={events} rowKey={(e) => e.id} csvName={`events-${first.from}-${first.to}.csv`} empty="No events match these filters in this period." />
      <div className="flex items-center gap-3 text-sm text-muted-foreground">
        <span data-testid="events-listed">
          {formatNumber(events.length)} listed{query.hasNextPage ? `, older events follow` : ", all matching events listed"}
        </span>
        {query.hasNextPage && (
          <Button variant="secondary" size="sm" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load older events"}
          </Button>
        )}
      </div>
    </div>
  );
}
