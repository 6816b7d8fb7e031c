"use client";
// Connector admin: list with last run, create form, run now. Reads and writes /api/v1/connectors.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import type { ConnectorCreate, ConnectorRunView, ConnectorView } from "@/lib/connectors/schemas";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { cardClass } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";

const keys = { list: ["connectors"] as const };

function RunSummary({ run }: { run: ConnectorRunView | null }) {
  if (!run) return <span className="text-muted-foreground">never run</span>;
  const colour = run.status === "failed" ? "text-danger" : run.status === "running" ? "text-warning" : "text-success";
  return (
    <span>
      <span className={colour}>{run.status}</span> {new Date(run.startedAt).toLocaleString()} · {run.accepted} imported, {run.duplicates} duplicates, {run.rejected} rejected
      {run.error && <div className="text-xs text-danger">{run.error}</div>}
    </span>
  );
}

export function ConnectorsAdmin() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: keys.list, queryFn: ({ signal }) => apiFetch<{ connectors: ConnectorView[] }>("/api/v1/connectors", { signal }) });
  const [form, setForm] = useState<ConnectorCreate>({ name: "", provider: "openai", dataset: "costs", apiKey: "", intervalMinutes: 60, backfillDays: 30, enabled: true });
  const create = useMutation({
    meta: { success: "Connector created" },
    mutationFn: (body: ConnectorCreate) => apiFetch("/api/v1/connectors", { method: "POST", body: JSON.stringify({ ...body, baseUrl: body.baseUrl || undefined }) }),
    onSuccess: () => {
      setForm((f) => ({ ...f, name: "", apiKey: "" }));
      return client.invalidateQueries({ queryKey: keys.list });
    },
  });
  const run = useMutation({
    mutationFn: (id: number) => apiFetch(`/api/v1/connectors/${id}/run`, { method: "POST" }),
    meta: { success: "Sync started" },
    onSettled: () => client.invalidateQueries({ queryKey: keys.list }),
  });

  return (
    <div className="space-y-6">
      {list.isPending ? (
        <Loading what="connectors" />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.connectors.length === 0 ? (
        <Empty message="No connectors yet." />
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="p-2">Name</th>
              <th className="p-2">Source</th>
              <th className="p-2">Checkpoint</th>
              <th className="p-2">Last run</th>
              <th className="p-2" />
            </tr>
          </thead>
          <tbody>
            {list.data.connectors.map((c) => (
              <tr key={c.id} className="border-t border-slate-100 align-top">
                <td className="p-2 font-medium">{c.name}{!c.enabled && <span className="ml-1 text-slate-500">(disabled)</span>}</td>
                <td className="p-2">{c.provider} · {c.dataset} · every {c.intervalMinutes} min</td>
                <td className="p-2">{c.checkpoint ? new Date(c.checkpoint).toLocaleString() : "—"}</td>
                <td className="p-2"><RunSummary run={c.lastRun} /></td>
                <td className="p-2">
                  <Button variant="secondary" size="sm" disabled={run.isPending} onClick={() => run.mutate(c.id)}>Run now</Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run.isError && <p role="alert" className="text-sm text-danger">{run.error.message}</p>}

      <form
        className={cn(cardClass, "grid max-w-xl grid-cols-1 gap-3 text-sm sm:grid-cols-2")}
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(form);
        }}
      >
        <h2 className="col-span-2 text-base font-semibold">Add a connector</h2>
        <Field label="Name"><Input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
        <Field label="Provider">
          <Select value={form.provider} onChange={(e) => setForm({ ...form, provider: e.target.value as ConnectorCreate["provider"] })}>
            <option value="openai">OpenAI</option>
            <option value="anthropic">Anthropic</option>
          </Select>
        </Field>
        <Field label="Dataset">
          <Select value={form.dataset} onChange={(e) => setForm({ ...form, dataset: e.target.value as ConnectorCreate["dataset"] })}>
            <option value="costs">Costs (billed amounts)</option>
            <option value="usage">Usage (tokens, priced here)</option>
          </Select>
        </Field>
        <Field label="Admin API key"><Input required type="password" autoComplete="off" value={form.apiKey} onChange={(e) => setForm({ ...form, apiKey: e.target.value })} /></Field>
        <Field label="Base URL (optional)"><Input value={form.baseUrl ?? ""} onChange={(e) => setForm({ ...form, baseUrl: e.target.value })} /></Field>
        <Field label="Department code (optional)"><Input value={form.departmentCode ?? ""} onChange={(e) => setForm({ ...form, departmentCode: e.target.value || null })} /></Field>
        <div className="col-span-2 flex items-center gap-3">
          <Button size="sm" type="submit" disabled={create.isPending}>Add connector</Button>
          {create.isError && <span role="alert" className="text-danger">{create.error.message}</span>}
        </div>
      </form>
    </div>
  );
}
