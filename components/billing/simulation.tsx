"use client";
// Pricing simulation form and results: POST /api/v1/pricing/simulations (JSON for the tables, CSV for the download).
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiClientError, apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import { downloadCsv } from "@/components/ui/table/download";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { SimulatedCustomer, SimulationRequest, SimulationResult } from "@/lib/billing/simulation-schemas";
import { formatMoney } from "@/lib/format";

type Line = SimulatedCustomer["lines"][number] & { n: number };

const EXAMPLE_CHANGES = `{
  "minimumSpend": "150.00",
  "charges": [{ "meter": "actions", "model": "per_unit", "unitPrice": "0.05" }]
}`;

const URL_ = "/api/v1/pricing/simulations";

async function downloadSimulation({ request, detail }: { request: SimulationRequest; detail: "customers" | "lines" }) {
  const response = await fetch(`${URL_}?format=csv&detail=${detail}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
  if (!response.ok) throw new ApiClientError(response.status, `CSV download failed (${response.status})`);
  downloadCsv(`pricing-simulation-${request.period}${detail === "lines" ? "-lines" : ""}.csv`, await response.text());
}

export function SimulationForm({ defaultPeriod, plans }: { defaultPeriod: string; plans: { id: number; label: string }[] }) {
  const hydrated = useHydrated();
  const [period, setPeriod] = useState(defaultPeriod);
  const [customers, setCustomers] = useState("");
  const [kind, setKind] = useState<"plan" | "changes">(plans.length > 0 ? "plan" : "changes");
  const [planId, setPlanId] = useState(plans[0]?.id ?? 0);
  const [changes, setChanges] = useState(EXAMPLE_CHANGES);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const simulate = useMutation({ mutationFn: (request: SimulationRequest) => apiFetch<SimulationResult>(URL_, { method: "POST", body: JSON.stringify(request) }) });
  const download = useMutation({ mutationFn: downloadSimulation });

  const request = (): SimulationRequest | null => {
    const keys = customers.split(/[\s,]+/).filter(Boolean);
    let candidate: SimulationRequest["candidate"];
    if (kind === "plan") candidate = { kind, planId };
    else {
      try {
        candidate = { kind, changes: JSON.parse(changes) };
      } catch {
        setJsonError("Not valid JSON");
        return null;
      }
    }
    setJsonError(null);
    return { period, ...(keys.length > 0 ? { customers: keys } : {}), candidate };
  };

  const result = simulate.data;
  const columns: Column<SimulatedCustomer>[] = [
    { id: "customer", header: "Customer", value: (r) => r.customer.name, cell: (r) => <button type="button" className="text-accent-foreground hover:underline" onClick={() => setSelected(r.customer.key)}>{r.customer.name}</button> },
    { id: "currentPlan", header: "Current plan", value: (r) => r.current.plan },
    { id: "source", header: "Current from", value: (r) => (r.current.invoice ? (r.current.invoice.number ?? `draft #${r.current.invoice.id}`) : "current plan") },
    { id: "current", header: "Current", type: "money", value: (r) => r.current.total, cell: (r) => formatMoney(r.current.total, r.current.currency) },
    { id: "simulated", header: "Simulated", type: "money", value: (r) => r.simulated.total, cell: (r) => formatMoney(r.simulated.total, r.currency) },
    { id: "delta", header: "Delta", type: "money", value: (r) => r.delta, cell: (r) => (r.delta === null ? "—" : formatMoney(r.delta, r.currency)), testId: (r) => `delta-${r.customer.key}` },
    { id: "deltaPercent", header: "Delta %", type: "percent", digits: 2, value: (r) => (r.deltaPercent === null ? null : Number(r.deltaPercent) / 100) },
  ];
  const detail = result?.customers.find((c) => c.customer.key === selected);
  const lineColumns: Column<Line>[] = [
    { id: "description", header: "Line", value: (l) => l.description },
    { id: "quantity", header: "Quantity", type: "number", value: (l) => l.quantity },
    { id: "current", header: "Current", type: "money", currency: detail?.current.currency, value: (l) => l.current },
    { id: "simulated", header: "Simulated", type: "money", currency: detail?.currency, value: (l) => l.simulated },
    { id: "delta", header: "Delta", type: "money", currency: detail?.currency, value: (l) => l.delta },
  ];

  return (
    <div className="space-y-6">
      <Card aria-label="Simulation">
        <CardContent>
          <form
            className="grid gap-4 md:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              const r = request();
              if (r) {
                setSelected(null);
                simulate.mutate(r);
              }
            }}
          >
            <Field label="Period" hint="A past month, organization time zone">
              <Input type="month" name="period" value={period} onChange={(e) => setPeriod(e.target.value)} required />
            </Field>
            <Field label="Customers" hint="Customer keys, comma-separated; empty = every customer with a plan">
              <Input name="customers" value={customers} onChange={(e) => setCustomers(e.target.value)} />
            </Field>
            <Field label="Candidate rate card">
              <Select name="kind" value={kind} onChange={(e) => setKind(e.target.value as "plan" | "changes")}>
                <option value="plan">A price plan version</option>
                <option value="changes">Changes to each customer&apos;s current plan</option>
              </Select>
            </Field>
            {kind === "plan" ? (
              <Field label="Plan version">
                <Select name="planId" value={planId} onChange={(e) => setPlanId(Number(e.target.value))}>
                  {plans.map((p) => (
                    <option key={p.id} value={p.id}>{p.label}</option>
                  ))}
                </Select>
              </Field>
            ) : (
              <Field label="Changes (JSON)" hint="minimumSpend, and charges by meter key: model, unitPrice, tiers, packageSize, markupPercent, credits fields, freeUnits, or remove: true" error={jsonError}>
                <Textarea name="changes" rows={6} className="font-mono text-xs" value={changes} onChange={(e) => setChanges(e.target.value)} />
              </Field>
            )}
            <div className="flex gap-3 md:col-span-2">
              <Button type="submit" disabled={!hydrated || simulate.isPending}>{simulate.isPending ? "Simulating…" : "Simulate"}</Button>
              <Button variant="secondary" disabled={!hydrated || download.isPending} onClick={() => { const r = request(); if (r) download.mutate({ request: r, detail: "customers" }); }}>
                Download CSV
              </Button>
              <Button variant="secondary" disabled={!hydrated || download.isPending} onClick={() => { const r = request(); if (r) download.mutate({ request: r, detail: "lines" }); }}>
                Download CSV per line
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>
      {simulate.isError && <ErrorState error={simulate.error} />}
      {download.isError && <ErrorState error={download.error} />}
      {result && (
        <DataTable
          title={`Simulation for ${result.period}: ${result.candidate}`}
          description={result.totals.map((t) => `${t.currency}: current ${formatMoney(t.current, t.currency)} → simulated ${formatMoney(t.simulated, t.currency)} (${formatMoney(t.delta, t.currency)})`).join(" · ")}
          columns={columns}
          rows={result.customers}
          rowKey={(r) => r.customer.key}
          empty="No customer is priced by this candidate in that month."
          pageSize={50}
        />
      )}
      {detail && <DataTable title={`Lines for ${detail.customer.name}`} columns={lineColumns} rows={detail.lines.map((l, n) => ({ ...l, n }))} rowKey={(l) => String(l.n)} />}
    </div>
  );
}
