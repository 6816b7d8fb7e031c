"use client";
// The events explorer: the raw events behind a total, server-paginated (older pages on demand), with the total of
// everything that matches and the sum of what is listed, so the two can be compared.
import { useInfiniteQuery } from "@tanstack/react-query";
import Decimal from "decimal.js";
import Link from "next/link";
import { DataTable, type TableColumn } from "@/components/charts/data-table";
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
  const time = new Intl.DateTimeFormat("en-CA", { timeZone: first.timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  const columns: TableColumn<Event>[] = [
    { header: `Time (${first.timeZone})`, cell: (e) => time.format(new Date(e.timestamp)).replace(",", ""), csv: (e) => e.timestamp },
    { header: "Agent", cell: (e) => <Link href={`/agents/${encodeURIComponent(e.agent)}?from=${first.from}&to=${first.to}`} className="text-indigo-700 hover:underline">{e.agentName}</Link>, csv: (e) => e.agent },
    { header: "Type", cell: (e) => e.type, csv: (e) => e.type },
    { header: "Department", cell: (e) => e.department ?? "—", csv: (e) => e.department },
    { header: "Customer", cell: (e) => e.customer ?? "—", csv: (e) => e.customer },
    { header: "Model", cell: (e) => e.model ?? "—", csv: (e) => e.model },
    { header: "Task", cell: (e) => (e.taskType || e.handledBy ? `${e.taskType ?? "—"} · ${e.handledBy ?? "?"} · ${e.taskStatus ?? "?"}` : "—"), csv: (e) => e.taskType },
    { header: "Quantity", numeric: true, cell: (e) => formatNumber(e.quantity, 2), csv: (e) => e.quantity },
    { header: "Tokens in/out", numeric: true, cell: (e) => `${formatCompact(e.inputTokens)} / ${formatCompact(e.outputTokens)}`, csv: (e) => `${e.inputTokens}/${e.outputTokens}` },
    { header: "Cost", numeric: true, cell: (e) => (e.costSource === "unpriced" ? <span className="text-amber-700" title="Tokens without a price: cost unknown, counted as 0">not priced</span> : money(e.cost, 6)), csv: (e) => e.cost },
    { header: "Event", cell: (e) => <span className="text-slate-500">{e.correctionKind ? `${e.correctionKind} · ` : ""}{e.source}/{e.key}</span>, csv: (e) => `${e.source}/${e.key}` },
  ];
  return (
    <div className="space-y-4" aria-busy={query.isFetching}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label="Matching events" testId="events-total-events" value={formatNumber(first.totals.events)} />
        <StatCard label="Cost of all matching events" testId="events-total-cost" value={money(first.totals.cost)} />
        <StatCard label={`Cost of the ${formatNumber(events.length)} listed`} testId="events-listed-cost" value={money(listed)} />
      </div>
      <DataTable title="Events" columns={columns} rows={events} rowKey={(e) => e.id} csvName={`events-${first.from}-${first.to}.csv`} empty="No events match these filters in this period." />
      <div className="flex items-center gap-3 text-sm text-slate-600">
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
