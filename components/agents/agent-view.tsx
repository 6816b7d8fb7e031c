"use client";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { apiFetch } from "@/components/api-client";
import { DataTable, type Column } from "@/components/ui/data-table";
import { bucketRange, eventsHref } from "@/components/charts/drill";
import { bucketLabel, relativeChange } from "@/components/charts/prepare";
import { StackedChart } from "@/components/charts/stacked-chart";
import { UrlSelect } from "@/components/filters/select";
import { nextSearch } from "@/components/filters/url";
import { StatCard } from "@/components/ui/stat-card";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { formatCompact, formatMoney, formatNumber, formatPercent } from "@/lib/format";
import { ratio, sum } from "@/components/ui/table/figures";
import { agentKeys, fetchAgent, fetchAgentEvents, type AgentDetailResponse, type AgentEventsResponse } from "./queries";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { BudgetLimitUse } from "@/components/budgets/limit-use";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";
import { ConversionNote, conversionColumns, rateDatesText } from "@/components/currency/conversion-note";

type Event = AgentEventsResponse["events"][number];

/** How an event takes part in a correction: reversed/corrected (with the new event ids), or written by one. */
function correctionText(e: Event): string {
  if (e.correctionKind === "reversal") return `Reversal of #${e.correctsEventId}`;
  if (e.correctionKind === "correction") return `Corrects #${e.correctsEventId}`;
  if (e.correctedBy?.kind === "reversal") return `Reversed by #${e.correctedBy.reversalEventId}: ${e.correctedBy.reason}`;
  if (e.correctedBy) return `Corrected by #${e.correctedBy.correctedEventId} (reversal #${e.correctedBy.reversalEventId}): ${e.correctedBy.reason}`;
  return "";
}

/** Admin action: reverse an event (POST …/corrections); the reason is asked for and audited. */
function ReverseButton({ event, onDone }: { event: Event; onDone: () => void }) {
  const reverse = useMutation({
    meta: { success: "Event reversed" },
    mutationFn: (reason: string) =>
      apiFetch(`/api/v1/events/${encodeURIComponent(event.source)}/${encodeURIComponent(event.key)}/corrections`, {
        method: "POST",
        body: JSON.stringify({ kind: "reversal", reason, idempotency_key: `ui-${event.id}-${Date.now()}` }),
      }),
    onSuccess: onDone,
  });
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  if (reverse.isError) return <span className="text-danger">{reverse.error.message}</span>;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" disabled={reverse.isPending}>
          Reverse
        </Button>
      </DialogTrigger>
      <DialogContent title={`Reverse event #${event.id}?`} description="The original stays; a reversal event cancels it. The reason is audited.">
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            setOpen(false);
            reverse.mutate(reason.trim());
          }}
        >
          <Field label="Reason">
            <Input value={reason} onChange={(e) => setReason(e.target.value)} required className="w-full" autoFocus />
          </Field>
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="danger" disabled={!reason.trim()}>
              Reverse event
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function RecentEvents({ agentKey, range, currency, timeZone, canCorrect }: { agentKey: string; range: { from: string; to: string }; currency: string; timeZone: string; canCorrect: boolean }) {
  const client = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: agentKeys.events(agentKey, range),
    queryFn: ({ pageParam, signal }) => fetchAgentEvents(agentKey, range, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  if (query.isError) return <ErrorState error={query.error} />;
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const columns: Column<Event>[] = [
    { id: "time", header: `Time (${timeZone})`, type: "datetime", value: (e) => e.timestamp },
    { id: "event", header: "Event", value: (e) => e.id, cell: (e) => `#${e.id}`, csv: (e) => `${e.source}/${e.key}` },
    { id: "type", header: "Type", value: (e) => e.type },
    { id: "department", header: "Department", value: (e) => e.department },
    { id: "customer", header: "Customer", value: (e) => e.customer },
    { id: "model", header: "Model", value: (e) => e.model },
    { id: "task", header: "Task", value: (e) => e.taskType, cell: (e) => (e.taskType ? `${e.taskType} · ${e.handledBy ?? "?"} · ${e.taskStatus ?? "?"}` : "—") },
    { id: "inputTokens", header: "Tokens in", type: "number", value: (e) => e.inputTokens, cell: (e) => formatCompact(e.inputTokens) },
    { id: "outputTokens", header: "Tokens out", type: "number", value: (e) => e.outputTokens, cell: (e) => formatCompact(e.outputTokens) },
    { id: "cost", header: "Cost", type: "money", currency, digits: 4, value: (e) => e.cost, cell: (e) => (e.costSource === "unpriced" ? <span className="text-warning" title="Tokens without a price: cost unknown, counted as 0">not priced</span> : formatMoney(e.cost, currency, 4)) },
    {
      id: "pricedBy",
      header: "Priced by",
      value: (e) => (e.costSource === "computed" ? `${e.priceRule ?? ""} #${e.priceId}` : e.costSource),
      cell: (e) =>
        e.costSource === "computed" ? (
          <span className="text-xs" title={`price #${e.priceId}`}>{e.priceRule ?? `price #${e.priceId}`}{e.serviceTier && e.serviceTier !== "default" ? ` · ${e.serviceTier}` : ""}</span>
        ) : (
          e.costSource
        ),
    },
    {
      id: "correction",
      header: "Correction",
      value: (e) => correctionText(e),
      cell: (e) => correctionText(e) || (canCorrect && !e.correctionKind ? <ReverseButton event={e} onDone={() => void client.invalidateQueries({ queryKey: agentKeys.all })} /> : ""),
    },
  ];
  return (
    <DataTable
      title="Recent events"
      columns={columns}
      rows={events}
      rowKey={(e) => e.id}
      csvName={`${agentKey}-events.csv`}
      empty="No events in this period."
      loading={query.isPending}
      loadMore={{ hasMore: query.hasNextPage, loading: query.isFetchingNextPage, onMore: () => void query.fetchNextPage(), label: "Load older events" }}
    />
  );
}

export function AgentView({ agentKey, params, currencies, canCorrect = false }: { agentKey: string; params: Record<string, string>; currencies: string[]; canCorrect?: boolean }) {
  const router = useRouter();
  const query = useQuery({ queryKey: agentKeys.detail(agentKey, params), queryFn: ({ signal }) => fetchAgent(agentKey, params, signal), placeholderData: keepPreviousData });
  if (query.isPending) return <Loading what="agent" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data: AgentDetailResponse = query.data;
  const t = data.totals;
  const p = data.previous.totals;
  const money = (v: string | number) => formatMoney(v, data.currency);
  const share = (cost: string | number) => ratio(cost, t.cost);
  const search = new URLSearchParams({ ...params, from: data.from, to: data.to }).toString();
  const events = (extra: Record<string, string> = {}) => eventsHref(search, { agent: agentKey, ...extra });
  return (
    <div className="space-y-6" aria-busy={query.isFetching}>
      <p className="text-sm text-muted-foreground">
        {data.agent.platform} · {data.agent.model ?? "no default model"} · {data.agent.department?.name ?? "no department"} · {data.agent.status}
        {data.agent.shared ? " · shared" : ""}
        {data.agent.tags.length ? ` · ${data.agent.tags.join(", ")}` : ""}
      </p>
      {data.conversion && <ConversionNote conversion={data.conversion} unconverted={t.unconverted} also="and limits" />}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Cost" testId="agent-cost" value={money(t.cost)} delta={relativeChange(Number(t.cost), Number(p.cost))} upIs="bad" href={events()} />
        <StatCard label="Cost per task" testId="agent-cost-per-task" value={t.costPerTask === null ? "—" : money(t.costPerTask)} />
        <StatCard label="Success rate" value={formatPercent(t.successRate)} />
        <StatCard label="Escalation rate" value={formatPercent(t.escalationRate)} />
      </div>
      <BudgetLimitUse agent={agentKey} />
      <Card>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <h2 className="mr-auto font-medium">Cost by {data.granularity}</h2>
          <UrlSelect param="granularity" label="Granularity" value={data.granularity} options={[{ key: "day", label: "Day" }, { key: "week", label: "Week" }, { key: "month", label: "Month" }]} />
          <UrlSelect param="currency" label="Currency" value={data.currency} options={currencies.map((c) => ({ key: c, label: c === data.orgCurrency ? `${c} (organization)` : c }))} />
        </div>
        {t.events === 0 ? (
          <Empty message="No usage by this agent in this period." />
        ) : (
          <ChartFrame label="Agent cost trend">
            <StackedChart
              label="Agent cost trend"
              kind="bar"
              rows={data.series.map((s) => ({ start: s.start, label: bucketLabel(s.start, data.granularity), cost: Number(s.cost) }))}
              series={[{ key: "cost", label: "Cost" }]}
              format={(v) => formatMoney(v, data.currency, 0)}
              onActivate={(point) => router.push(`/agents/${encodeURIComponent(agentKey)}${nextSearch(search, { ...bucketRange(point.row.start, data.granularity), granularity: "day" })}`, { scroll: false })}
              activateHint="show that period"
            />
          </ChartFrame>
        )}
      </Card>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <DataTable
          title="Models used"
          csvName={`${agentKey}-models.csv`}
          rows={data.models}
          rowKey={(m) => m.model}
          totals
          columns={[
            { id: "model", header: "Model", value: (m) => m.model },
            { id: "events", header: "Events", type: "number", value: (m) => m.events, total: "sum", cell: (m) => <Link href={events({ model: m.model })} className="text-accent-foreground hover:underline">{formatNumber(m.events)}</Link> },
            { id: "tokens", header: "Tokens", type: "number", value: (m) => m.tokens, cell: (m) => formatCompact(m.tokens), total: "sum" },
            { id: "cost", header: "Cost", type: "money", currency: data.currency, value: (m) => m.cost, total: "sum" },
            ...conversionColumns<(typeof data.models)[number]>(data.conversion, (m) => m.orgCost, (m) => rateDatesText(m.rateDates ?? null)),
            { id: "share", header: "Share of cost", type: "percent", value: (m) => share(m.cost), total: (rows) => share(sum(rows.map((m) => m.cost))) },
          ]}
        />
        <DataTable
          title="Departments served"
          csvName={`${agentKey}-departments.csv`}
          rows={data.departments}
          rowKey={(d) => d.key}
          totals
          columns={[
            { id: "department", header: "Department", value: (d) => d.name },
            { id: "events", header: "Events", type: "number", value: (d) => d.events, total: "sum", cell: (d) => <Link href={events({ department: d.key })} className="text-accent-foreground hover:underline">{formatNumber(d.events)}</Link> },
            { id: "cost", header: "Cost", type: "money", currency: data.currency, value: (d) => d.cost, total: "sum" },
            ...conversionColumns<(typeof data.departments)[number]>(data.conversion, (d) => d.orgCost, (d) => rateDatesText(d.rateDates ?? null)),
            { id: "share", header: "Share of cost", type: "percent", value: (d) => share(d.cost), total: (rows) => share(sum(rows.map((d) => d.cost))) },
          ]}
        />
      </div>
      <RecentEvents agentKey={agentKey} range={{ from: data.from, to: data.to }} currency={data.orgCurrency} timeZone={data.timeZone} canCorrect={canCorrect} />
    </div>
  );
}
