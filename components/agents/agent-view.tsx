"use client";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { DataTable, type TableColumn } from "@/components/charts/data-table";
import { bucketLabel, relativeChange } from "@/components/charts/prepare";
import { StackedChart } from "@/components/charts/stacked-chart";
import { UrlSelect } from "@/components/filters/select";
import { StatCard } from "@/components/ui/stat-card";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { formatCompact, formatMoney, formatNumber, formatPercent } from "@/lib/format";
import { agentKeys, fetchAgent, fetchAgentEvents, type AgentDetailResponse, type AgentEventsResponse } from "./queries";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";

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

function RecentEvents({ agentKey, range, currency, canCorrect }: { agentKey: string; range: { from: string; to: string }; currency: string; canCorrect: boolean }) {
  const client = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: agentKeys.events(agentKey, range),
    queryFn: ({ pageParam, signal }) => fetchAgentEvents(agentKey, range, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  if (query.isPending) return <Loading what="recent events" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const events = query.data.pages.flatMap((p) => p.events);
  const columns: TableColumn<Event>[] = [
    { header: "Time (UTC)", cell: (e) => e.timestamp.replace("T", " ").slice(0, 19), csv: (e) => e.timestamp },
    { header: "Event", cell: (e) => `#${e.id}`, csv: (e) => `${e.source}/${e.key}` },
    { header: "Type", cell: (e) => e.type, csv: (e) => e.type },
    { header: "Department", cell: (e) => e.department ?? "—", csv: (e) => e.department },
    { header: "Customer", cell: (e) => e.customer ?? "—", csv: (e) => e.customer },
    { header: "Model", cell: (e) => e.model ?? "—", csv: (e) => e.model },
    { header: "Task", cell: (e) => (e.taskType ? `${e.taskType} · ${e.handledBy ?? "?"} · ${e.taskStatus ?? "?"}` : "—"), csv: (e) => e.taskType },
    { header: "Tokens in/out", numeric: true, cell: (e) => `${formatCompact(e.inputTokens)} / ${formatCompact(e.outputTokens)}`, csv: (e) => `${e.inputTokens}/${e.outputTokens}` },
    { header: "Cost", numeric: true, cell: (e) => (e.costSource === "unpriced" ? <span className="text-warning" title="Tokens without a price: cost unknown, counted as 0">not priced</span> : formatMoney(e.cost, currency, 4)), csv: (e) => e.cost },
    {
      header: "Priced by",
      cell: (e) =>
        e.costSource === "computed" ? (
          <span className="text-xs" title={`price #${e.priceId}`}>{e.priceRule ?? `price #${e.priceId}`}{e.serviceTier && e.serviceTier !== "default" ? ` · ${e.serviceTier}` : ""}</span>
        ) : (
          e.costSource
        ),
      csv: (e) => (e.costSource === "computed" ? `${e.priceRule ?? ""} #${e.priceId}` : e.costSource),
    },
    {
      header: "Correction",
      cell: (e) => correctionText(e) || (canCorrect && !e.correctionKind ? <ReverseButton event={e} onDone={() => void client.invalidateQueries({ queryKey: agentKeys.all })} /> : ""),
      csv: correctionText,
    },
  ];
  return (
    <div className="space-y-2">
      <DataTable title="Recent events" columns={columns} rows={events} rowKey={(e) => e.id} csvName={`${agentKey}-events.csv`} empty="No events in this period." />
      {query.hasNextPage && (
        <Button variant="secondary" size="sm" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? "Loading…" : "Load older events"}
        </Button>
      )}
    </div>
  );
}

export function AgentView({ agentKey, params, canCorrect = false }: { agentKey: string; params: Record<string, string>; canCorrect?: boolean }) {
  const query = useQuery({ queryKey: agentKeys.detail(agentKey, params), queryFn: ({ signal }) => fetchAgent(agentKey, params, signal), placeholderData: keepPreviousData });
  if (query.isPending) return <Loading what="agent" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data: AgentDetailResponse = query.data;
  const t = data.totals;
  const p = data.previous.totals;
  const money = (v: string | number) => formatMoney(v, data.currency);
  return (
    <div className="space-y-6" aria-busy={query.isFetching}>
      <p className="text-sm text-muted-foreground">
        {data.agent.platform} · {data.agent.model ?? "no default model"} · {data.agent.department?.name ?? "no department"} · {data.agent.status}
        {data.agent.shared ? " · shared" : ""}
        {data.agent.tags.length ? ` · ${data.agent.tags.join(", ")}` : ""}
      </p>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Cost" testId="agent-cost" value={money(t.cost)} delta={relativeChange(Number(t.cost), Number(p.cost))} />
        <StatCard label="Cost per task" value={t.costPerTask === null ? "—" : money(t.costPerTask)} />
        <StatCard label="Success rate" value={formatPercent(t.successRate)} />
        <StatCard label="Escalation rate" value={formatPercent(t.escalationRate)} />
      </div>
      <Card>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <h2 className="mr-auto font-medium">Cost by {data.granularity}</h2>
          <UrlSelect param="granularity" label="Granularity" value={data.granularity} options={[{ key: "day", label: "Day" }, { key: "week", label: "Week" }, { key: "month", label: "Month" }]} />
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
          columns={[
            { header: "Model", cell: (m) => m.model, csv: (m) => m.model },
            { header: "Events", numeric: true, cell: (m) => formatNumber(m.events), csv: (m) => m.events },
            { header: "Tokens", numeric: true, cell: (m) => formatCompact(m.tokens), csv: (m) => m.tokens },
            { header: "Cost", numeric: true, cell: (m) => money(m.cost), csv: (m) => m.cost },
          ]}
        />
        <DataTable
          title="Departments served"
          csvName={`${agentKey}-departments.csv`}
          rows={data.departments}
          rowKey={(d) => d.key}
          columns={[
            { header: "Department", cell: (d) => d.name, csv: (d) => d.name },
            { header: "Events", numeric: true, cell: (d) => formatNumber(d.events), csv: (d) => d.events },
            { header: "Cost", numeric: true, cell: (d) => money(d.cost), csv: (d) => d.cost },
          ]}
        />
      </div>
      <RecentEvents agentKey={agentKey} range={{ from: data.from, to: data.to }} currency={data.currency} canCorrect={canCorrect} />
    </div>
  );
}
