"use client";
// Salesforce connections: connect an org (client credentials), pick Agentforce presets and/or map a custom
// consumption object, preview what the presets resolve to (objects, fields, sample rows) before the first sync,
// test, sync now, and the push log with a retry of failed records. Reads and writes /api/v1/salesforce/connections.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import type { ConnectorRunView } from "@/lib/connectors/schemas";
import type { Preset, PresetPreviewView, Reconciliation, SalesforceConnectionCreate, SalesforceConnectionView, SalesforcePushView } from "@/lib/connectors/salesforce/schemas";
import { Card, cardClass } from "@/components/ui/card";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

const keys = {
  list: ["salesforce-connections"] as const,
  pushes: (id: number) => ["salesforce-connections", id, "pushes"] as const,
};

const PRESET_CHOICES: [Preset, string, string][] = [
  ["flex_credits", "Flex Credit consumption", "Digital Wallet usage events → agentforce.action with credits and their cost at the credit rate"],
  ["token_usage", "Agentforce token usage", "Tokens per agent and model, billable flag kept; cost 0 while Flex Credits are read (they include it)"],
  ["sessions", "Agentforce sessions", "Each ended session is an agent task: escalated/transferred → escalated, resolved → completed"],
];

type Mapping = NonNullable<SalesforceConnectionCreate["settings"]["mapping"]>;
const MAPPING_FIELDS: [keyof Mapping, string][] = [
  ["timestamp", "Timestamp field"],
  ["agent", "Agent field"],
  ["usageType", "Usage type field"],
  ["quantity", "Quantity field"],
  ["credits", "Credits field"],
  ["cost", "Cost field"],
  ["department", "Department field"],
  ["account", "Account Id field"],
];

type Form = { name: string; instanceUrl: string; clientId: string; clientSecret: string; username: string; audience: string; presets: Preset[]; tokensPaidSeparately: boolean; queryV2: boolean; object: string; mapping: Record<string, string>; rateAmount: string; ratePerCredits: string; invoiceObject: string; usageObject: string };
const EMPTY: Form = { name: "", instanceUrl: "", clientId: "", clientSecret: "", username: "", audience: "", presets: [], tokensPaidSeparately: false, queryV2: false, object: "", mapping: { timestamp: "CreatedDate" }, rateAmount: "500", ratePerCredits: "100000", invoiceObject: "", usageObject: "" };

function toBody(f: Form): SalesforceConnectionCreate {
  const mapping = Object.fromEntries(Object.entries(f.mapping).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, v.trim()])) as Mapping;
  const object = f.object.trim() || null;
  return {
    name: f.name,
    instanceUrl: f.instanceUrl,
    clientSecret: f.clientSecret,
    agentKey: "agentforce",
    intervalMinutes: 60,
    backfillDays: 30,
    // Presets start paused: the admin previews what they resolve to, syncs once, then enables the schedule.
    enabled: f.presets.length === 0,
    settings: {
      clientId: f.clientId,
      auth: f.username.trim() ? "jwt_bearer" : "client_credentials",
      username: f.username.trim() || null,
      audience: f.audience.trim() || "https://login.salesforce.com",
      apiVersion: "62.0",
      queryApi: f.queryV2 ? "v2" : "connect",
      object,
      watermarkField: "SystemModstamp",
      mapping: object ? mapping : null,
      presets: f.presets,
      tokensPaidSeparately: f.tokensPaidSeparately,
      creditRate: { amount: f.rateAmount, perCredits: Number(f.ratePerCredits) },
      creditsPerUnit: null,
      push: { invoiceObject: f.invoiceObject || null, invoiceExternalIdField: "AgentLedger_Id__c", usageObject: f.usageObject || null, usageExternalIdField: "AgentLedger_Id__c" },
    },
  };
}

function LastRun({ run }: { run: ConnectorRunView | null }) {
  if (!run) return <span className="text-muted-foreground">never synced</span>;
  const colour = run.status === "failed" ? "text-danger" : run.status === "running" ? "text-warning" : "text-success";
  return (
    <span data-testid="salesforce-last-run">
      <span className={colour}>{run.status}</span> {new Date(run.startedAt).toLocaleString()} · {run.accepted} imported, {run.duplicates} duplicates, {run.rejected} rejected
      {run.error && <div className="text-xs text-danger">{run.error}</div>}
    </span>
  );
}

function PushLog({ id }: { id: number }) {
  const client = useQueryClient();
  const pushes = useQuery({ queryKey: keys.pushes(id), queryFn: ({ signal }) => apiFetch<{ pushes: SalesforcePushView[] }>(`/api/v1/salesforce/connections/${id}/pushes`, { signal }) });
  const retry = useMutation({
    mutationFn: () => apiFetch(`/api/v1/salesforce/connections/${id}/pushes/retry`, { method: "POST" }),
    meta: { success: "Failed pushes queued again" },
    onSettled: () => client.invalidateQueries({ queryKey: keys.pushes(id) }),
  });
  if (pushes.isError) return <ErrorState error={pushes.error} />;
  const rows = pushes.data?.pushes ?? [];
  const failed = rows.filter((p) => p.status === "failed").length;
  const columns: Column<SalesforcePushView>[] = [
    { id: "record", header: "Record", value: (p) => p.externalId },
    { id: "object", header: "Object", value: (p) => p.sobject },
    {
      id: "status",
      header: "Status",
      value: (p) => `${p.status}${p.error ? ` — ${p.error}` : ""}`,
      cell: (p) => <span className={p.status === "failed" ? "text-danger" : p.status === "succeeded" ? "text-success" : ""}>{p.status}{p.error && ` — ${p.error}`}</span>,
    },
    { id: "salesforceId", header: "Salesforce Id", value: (p) => p.salesforceId },
    { id: "attempts", header: "Attempts", type: "number", value: (p) => p.attempts },
  ];
  return (
    <DataTable
      title="Push log"
      columns={columns}
      rows={rows}
      rowKey={(p) => String(p.id)}
      loading={pushes.isPending}
      empty="Nothing pushed yet."
      csvName={`salesforce-${id}-pushes.csv`}
      actions={
        failed > 0 && (
          <Button variant="secondary" size="sm" disabled={retry.isPending} onClick={() => retry.mutate()}>
            Retry {failed} failed
          </Button>
        )
      }
    />
  );
}

function PresetPreview({ connection }: { connection: SalesforceConnectionView }) {
  const presets = connection.settings.presets;
  const preview = useMutation({
    mutationFn: () => apiFetch<PresetPreviewView>(`/api/v1/salesforce/connections/${connection.id}/preview`, { method: "POST", body: JSON.stringify({ presets }) }),
    meta: { error: "Preview failed" },
  });
  if (!presets.length) return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <span>Presets: {presets.map((p) => PRESET_CHOICES.find((c) => c[0] === p)![1]).join(", ")}</span>
        <Button variant="secondary" size="sm" disabled={preview.isPending} onClick={() => preview.mutate()}>Preview presets</Button>
      </div>
      {preview.isError && <p role="alert" className="text-xs text-danger">{preview.error.message}</p>}
      {preview.data?.presets.map((p) => (
        <section key={p.preset} aria-label={`Preview ${p.resolution.label}`} className="space-y-1">
          <h4 className="font-medium">
            {p.resolution.label}: {p.resolution.object ?? "no object found"}
          </h4>
          {p.problem && <p role="alert" className="text-xs text-danger">{p.problem}</p>}
          <DataTable
            title="Resolved fields"
            columns={mappingColumns}
            rows={Object.entries(p.resolution.fields).map(([logical, field]) => ({ logical, field }))}
            rowKey={(r) => r.logical}
            empty="No fields."
          />
          <DataTable title="Sample rows (first sync)" columns={sampleColumns} rows={p.sample} rowKey={(e) => e.id} empty="No rows in the backfill window." />
        </section>
      ))}
    </div>
  );
}

const REASONS: Record<string, string> = {
  before_sync_window: "before the first sync's backfill window (never read)",
  not_synced_yet: "after the credits watermark: not synced yet",
  not_in_org_totals_yet: "not in the org's totals yet (they lag)",
  unexplained: "unexplained (multiplier or adjustment; the statement decides)",
};
type Month = Reconciliation["months"][number];
type Bucket = Reconciliation["buckets"][number];
const thisMonth = () => new Date().toISOString().slice(0, 7);
const monthsAgo = (n: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)).toISOString().slice(0, 7);
};

/** AgentLedger's Flex Credits vs the org's own consumption totals, read live on request. */
function CreditReconciliation({ connection }: { connection: SalesforceConnectionView }) {
  const [range, setRange] = useState({ from: monthsAgo(2), to: thisMonth(), granularity: "day" });
  const run = useMutation({
    mutationFn: () => apiFetch<Reconciliation>(`/api/v1/salesforce/connections/${connection.id}/reconciliation?${new URLSearchParams(range)}`),
    meta: { error: "Reconciliation failed" },
  });
  if (!connection.settings.presets.includes("flex_credits")) return null;
  const r = run.data;
  const monthColumns: Column<Month>[] = [
    { id: "month", header: "Month", value: (m) => m.month },
    { id: "ledger", header: "AgentLedger credits", type: "number", value: (m) => m.agentLedgerCredits },
    { id: "org", header: "Org totals (credits)", type: "number", value: (m) => m.orgCredits },
    { id: "difference", header: "Difference", type: "number", value: (m) => m.difference },
    { id: "ledgerCost", header: "AgentLedger cost", type: "money", currency: r?.currency, value: (m) => m.agentLedgerCost },
    { id: "orgCost", header: "Org cost", type: "money", currency: r?.currency, value: (m) => m.orgCost },
    {
      id: "explained",
      header: "Explained by",
      value: (m) =>
        Object.entries(m.explained)
          .filter(([, v]) => Number(v) !== 0)
          .map(([k, v]) => `${v}: ${REASONS[k]}`)
          .join("; ") || "—",
    },
  ];
  const bucketColumns: Column<Bucket>[] = [
    { id: "bucket", header: range.granularity === "day" ? "Day (UTC)" : "Hour (UTC)", value: (b) => (range.granularity === "day" ? b.bucket.slice(0, 10) : b.bucket.slice(0, 16).replace("T", " ")) },
    { id: "ledger", header: "AgentLedger", type: "number", value: (b) => b.agentLedgerCredits },
    { id: "org", header: "Org", type: "number", value: (b) => b.orgCredits },
    { id: "difference", header: "Difference", type: "number", value: (b) => b.difference },
    { id: "reason", header: "Why", value: (b) => (b.reason ? REASONS[b.reason]! : "") },
  ];
  return (
    <section aria-label="Credit reconciliation" className="space-y-2">
      <h4 className="font-medium">Flex Credits reconciliation</h4>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <Field label="From month"><Input type="month" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} required /></Field>
        <Field label="To month"><Input type="month" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} required /></Field>
        <Field label="Org totals">
          <Select value={range.granularity} onChange={(e) => setRange({ ...range, granularity: e.target.value })}>
            <option value="day">Daily (TenantDailyEntitlementConsumption)</option>
            <option value="hour">Hourly (TenantHourlyEntitlementConsumption)</option>
          </Select>
        </Field>
        <Button variant="secondary" size="sm" type="submit" disabled={run.isPending}>Reconcile</Button>
      </form>
      {run.isError && <p role="alert" className="text-xs text-danger">{run.error.message}</p>}
      {r && (
        <>
          <p className="text-xs text-muted-foreground">
            {r.authoritative} Org figures from {r.object}; credits synced up to {r.watermark ? new Date(r.watermark).toLocaleString() : "— (never synced)"}.
          </p>
          <DataTable title="Credits per month" columns={monthColumns} rows={r.months} rowKey={(m) => m.month} csvName={`credit-reconciliation-${connection.id}`} totals={false} />
          <DataTable title="Days or hours that differ" columns={bucketColumns} rows={r.buckets} rowKey={(b) => b.bucket} empty="Every day agrees." />
        </>
      )}
    </section>
  );
}

type Sample = PresetPreviewView["presets"][number]["sample"][number];
const mappingColumns: Column<{ logical: string; field: string | null }>[] = [
  { id: "logical", header: "Field", value: (r) => r.logical },
  { id: "field", header: "In this org", value: (r) => r.field ?? "— not found" },
];
const sampleColumns: Column<Sample>[] = [
  { id: "id", header: "Event id", value: (e) => e.id },
  { id: "timestamp", header: "Time", value: (e) => e.timestamp },
  { id: "agent", header: "Agent", value: (e) => e.agent },
  { id: "type", header: "Type", value: (e) => e.type },
  { id: "credits", header: "Credits", value: (e) => (e.properties?.credits as number | undefined) ?? null },
  { id: "cost", header: "Cost", value: (e) => (e.cost ? `${e.cost.amount} ${e.cost.currency}` : null) },
  { id: "tokens", header: "Tokens in/out", value: (e) => (e.tokens ? `${e.tokens.input ?? 0} / ${e.tokens.output ?? 0}` : null) },
  { id: "task", header: "Task status", value: (e) => e.task?.status ?? null },
];

export function SalesforceAdmin() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: keys.list, queryFn: ({ signal }) => apiFetch<{ connections: SalesforceConnectionView[] }>("/api/v1/salesforce/connections", { signal }) });
  const [form, setForm] = useState<Form>(EMPTY);
  const [tested, setTested] = useState<Record<number, string>>({});
  const create = useMutation({
    meta: { success: "Salesforce connection created" },
    mutationFn: (f: Form) => apiFetch("/api/v1/salesforce/connections", { method: "POST", body: JSON.stringify(toBody(f)) }),
    onSuccess: () => {
      setForm(EMPTY);
      return client.invalidateQueries({ queryKey: keys.list });
    },
  });
  const test = useMutation({
    mutationFn: (id: number) => apiFetch<{ object: string | null; fields: number }>(`/api/v1/salesforce/connections/${id}/test`, { method: "POST" }),
    meta: { success: "Connection test passed", error: "Connection test failed" },
    onSuccess: (r, id) => setTested((t) => ({ ...t, [id]: r.object ? `Connected: ${r.object} has ${r.fields} fields, mapping OK` : "Connected: token and object list OK" })),
    onError: (e, id) => setTested((t) => ({ ...t, [id]: e.message })),
  });
  const sync = useMutation({
    mutationFn: (id: number) => apiFetch(`/api/v1/connectors/${id}/run`, { method: "POST" }),
    meta: { success: "Sync started" },
    onSettled: (_r, _e, id) => Promise.all([client.invalidateQueries({ queryKey: keys.list, exact: true }), client.invalidateQueries({ queryKey: keys.pushes(id) })]),
  });
  const enable = useMutation({
    mutationFn: (id: number) => apiFetch(`/api/v1/salesforce/connections/${id}`, { method: "PATCH", body: JSON.stringify({ enabled: true }) }),
    meta: { success: "Scheduled sync enabled" },
    onSettled: () => client.invalidateQueries({ queryKey: keys.list, exact: true }),
  });
  const input = (label: string, value: string, set: (v: string) => void, extra: { required?: boolean; type?: string; placeholder?: string } = {}) => (
    <Field label={label}><Input value={value} onChange={(e) => set(e.target.value)} autoComplete="off" {...extra} /></Field>
  );

  return (
    <div className="space-y-6">
      {list.isPending ? (
        <Loading what="Salesforce connections" />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.connections.length === 0 ? (
        <Empty message="No Salesforce org connected." />
      ) : (
        list.data.connections.map((c) => (
          <Card key={c.id} className="space-y-2 text-sm" aria-label={`Salesforce connection ${c.name}`}>
            <div className="flex flex-wrap items-center gap-3">
              <h3 className="font-semibold">{c.name}</h3>
              <span className="text-muted-foreground">{c.instanceUrl}{c.settings.object && ` · ${c.settings.object}`}{!c.enabled && " · schedule paused"}</span>
              <Button variant="secondary" size="sm" disabled={test.isPending} onClick={() => test.mutate(c.id)}>Test connection</Button>
              <Button variant="secondary" size="sm" disabled={sync.isPending} onClick={() => sync.mutate(c.id)}>Sync now</Button>
              {!c.enabled && <Button size="sm" disabled={enable.isPending} onClick={() => enable.mutate(c.id)}>Enable scheduled sync</Button>}
            </div>
            <PresetPreview connection={c} />
            <CreditReconciliation connection={c} />
            {tested[c.id] && <p role="status" className="text-xs">{tested[c.id]}</p>}
            <div>Watermark: {c.watermark ? new Date(c.watermark).toLocaleString() : "—"} · Last sync: <LastRun run={c.lastRun} /></div>
            <PushLog id={c.id} />
          </Card>
        ))
      )}
      {sync.isError && <p role="alert" className="text-sm text-danger">{sync.error.message}</p>}

      <form
        className={cn(cardClass, "grid max-w-2xl grid-cols-1 gap-3 text-sm sm:grid-cols-2")}
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(form);
        }}
      >
        <h2 className="col-span-2 font-semibold">Connect a Salesforce org</h2>
        {input("Connection name", form.name, (v) => setForm({ ...form, name: v }), { required: true })}
        {input("Instance URL", form.instanceUrl, (v) => setForm({ ...form, instanceUrl: v }), { required: true, placeholder: "https://acme.my.salesforce.com" })}
        {input("Client id", form.clientId, (v) => setForm({ ...form, clientId: v }), { required: true })}
        <Field label="Client secret, or private key (PEM) for the JWT bearer flow">
          <Textarea value={form.clientSecret} onChange={(e) => setForm({ ...form, clientSecret: e.target.value })} required rows={2} autoComplete="off" spellCheck={false} className="font-mono text-xs [-webkit-text-security:disc]" />
        </Field>
        {input("JWT bearer username (blank: client credentials)", form.username, (v) => setForm({ ...form, username: v }), { placeholder: "integration@acme.example" })}
        {input("JWT audience", form.audience, (v) => setForm({ ...form, audience: v }), { placeholder: "https://login.salesforce.com" })}
        <span />
        <fieldset className="col-span-2 space-y-1">
          <legend className="font-medium">Agentforce presets (Data 360; object names found in the org)</legend>
          {PRESET_CHOICES.map(([key, label, hint]) => (
            <label key={key} className="flex items-start gap-2">
              <input
                type="checkbox"
                className="mt-1 h-4 w-4 accent-primary"
                checked={form.presets.includes(key)}
                onChange={(e) => setForm({ ...form, presets: e.target.checked ? [...form.presets, key] : form.presets.filter((p) => p !== key) })}
              />
              <span>
                {label} <span className="text-xs text-muted-foreground">— {hint}</span>
              </span>
            </label>
          ))}
          <label className="flex items-start gap-2">
            <input type="checkbox" className="mt-1 h-4 w-4 accent-primary" checked={form.tokensPaidSeparately} onChange={(e) => setForm({ ...form, tokensPaidSeparately: e.target.checked })} />
            <span>
              Tokens are paid outside Flex Credits <span className="text-xs text-muted-foreground">— price token usage from model prices even with Flex Credits on</span>
            </span>
          </label>
          <label className="flex items-start gap-2">
            <input type="checkbox" className="mt-1 h-4 w-4 accent-primary" checked={form.queryV2} onChange={(e) => setForm({ ...form, queryV2: e.target.checked })} />
            <span>
              Read Data 360 through Query API V2 <span className="text-xs text-muted-foreground">— for orgs that require the Data 360 token exchange (/services/a360/token)</span>
            </span>
          </label>
        </fieldset>
        {input("Consumption object", form.object, (v) => setForm({ ...form, object: v }), { required: form.presets.length === 0, placeholder: "AgentforceConsumption__c (optional with presets)" })}
        <span />
        {MAPPING_FIELDS.map(([key, label]) => (
          <span key={key}>{input(label, form.mapping[key] ?? "", (v) => setForm({ ...form, mapping: { ...form.mapping, [key]: v } }), { required: key === "timestamp" && form.object.trim() !== "" })}</span>
        ))}
        {input("Credit rate: amount", form.rateAmount, (v) => setForm({ ...form, rateAmount: v }))}
        {input("Credit rate: per credits", form.ratePerCredits, (v) => setForm({ ...form, ratePerCredits: v }))}
        {input("Invoice object (push, optional)", form.invoiceObject, (v) => setForm({ ...form, invoiceObject: v }))}
        {input("Usage summary object (push, optional)", form.usageObject, (v) => setForm({ ...form, usageObject: v }))}
        <div className="col-span-2 flex items-center gap-3">
          <Button size="sm" type="submit" disabled={create.isPending}>Connect org</Button>
          {create.isError && <span role="alert" className="text-danger">{create.error.message}</span>}
        </div>
      </form>
    </div>
  );
}
