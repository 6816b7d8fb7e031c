"use client";
// ROI what-ifs for every role that sees ROI: change task-type baselines, compare with the official figures side by
// side, save as a named scenario (private), share it read-only by link. Official baselines are not touched here.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { apiFieldErrors, fieldErrors, type FieldErrors } from "@/components/forms/field-errors";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Field, Input, Select } from "@/components/ui/field";
import { ErrorState, Loading } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import { scenarioBaselines, scenarioCreate, type ScenarioView } from "@/lib/analytics/scenario-schemas";
import { fetchRoi, roiKeys, type Assumption, type RoiResponse } from "./queries";
import { RoiComparison } from "./comparison";

type Draft = Record<string, { baselineMinutes: string; loadedHourlyCost: string }>;
type Baselines = ScenarioView["baselines"];

const scenarioKeys = { list: ["roi-scenarios"] as const };

export function fetchWhatIf(params: Record<string, string>, baselines: Baselines, signal?: AbortSignal) {
  return apiFetch<RoiResponse>(`/api/v1/roi/what-if?${new URLSearchParams(params)}`, { method: "POST", body: JSON.stringify({ baselines }), signal });
}

const draftFrom = (official: Assumption[], overrides: Baselines = []): Draft =>
  Object.fromEntries(official.map((a) => {
    const o = overrides.find((b) => b.taskType === a.taskType);
    return [a.taskType, { baselineMinutes: o?.baselineMinutes ?? a.baselineMinutes, loadedHourlyCost: o?.loadedHourlyCost ?? a.loadedHourlyCost }];
  }));

/** Only what differs from the official baseline is a what-if (numerically: "30" equals "30.00"). */
const overridesOf = (official: Assumption[], draft: Draft): Baselines =>
  official
    .filter((a) => {
      const d = draft[a.taskType];
      return d && (Number(d.baselineMinutes) !== Number(a.baselineMinutes) || Number(d.loadedHourlyCost) !== Number(a.loadedHourlyCost) || d.baselineMinutes.trim() === "" || d.loadedHourlyCost.trim() === "");
    })
    .map((a) => ({ taskType: a.taskType, ...draft[a.taskType]! }));

export function RoiScenarios({ params, search }: { params: Record<string, string>; search: string }) {
  const official = useQuery({ queryKey: roiKeys.list(params), queryFn: ({ signal }) => fetchRoi(params, signal), placeholderData: keepPreviousData });
  const scenarios = useQuery({ queryKey: scenarioKeys.list, queryFn: ({ signal }) => apiFetch<{ scenarios: ScenarioView[] }>("/api/v1/roi/scenarios", { signal }).then((r) => r.scenarios) });
  const [selected, setSelected] = useState<number | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [applied, setApplied] = useState<Baselines>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [name, setName] = useState("");
  const client = useQueryClient();
  const confirm = useConfirm();
  const assumptions = official.data?.assumptions ?? [];
  const current = scenarios.data?.find((s) => s.id === selected) ?? null;
  const shown = draft ?? draftFrom(assumptions, current?.baselines);

  const whatIf = useQuery({
    queryKey: [...roiKeys.all, "what-if", params, applied],
    queryFn: ({ signal }) => fetchWhatIf(params, applied, signal),
    enabled: applied.length > 0,
    placeholderData: keepPreviousData,
  });
  const refresh = () => client.invalidateQueries({ queryKey: scenarioKeys.list });
  const create = useMutation({
    mutationFn: (body: { name: string; baselines: Baselines }) => apiFetch<ScenarioView>("/api/v1/roi/scenarios", { method: "POST", body: JSON.stringify(body) }),
    meta: { success: "Scenario saved" },
    onSuccess: async (s) => {
      await refresh();
      setSelected(s.id);
      setName("");
    },
  });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: number; baselines?: Baselines; shared?: boolean }) => apiFetch<ScenarioView>(`/api/v1/roi/scenarios/${id}`, { method: "PATCH", body: JSON.stringify(body) }),
    onSuccess: async (s, vars) => {
      toast.success(vars.shared === true ? "Read-only link created" : vars.shared === false ? "Scenario is private again" : "Scenario saved");
      await refresh();
      return s;
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => fetch(`/api/v1/roi/scenarios/${id}`, { method: "DELETE" }).then((r) => { if (!r.ok) throw new Error(`Delete failed (${r.status})`); }),
    meta: { success: "Scenario deleted", error: "Could not delete" },
    onSuccess: async () => {
      setSelected(null);
      setApplied([]);
      setDraft(null);
      await refresh();
    },
  });

  if (official.isPending) return <Loading what="baselines" />;
  if (official.isError) return <ErrorState error={official.error} />;

  const check = (): Baselines | null => {
    const overrides = overridesOf(assumptions, shown);
    const found = fieldErrors(scenarioBaselines, overrides);
    setErrors(found);
    return Object.keys(found).length ? null : overrides;
  };
  const pick = (id: number | null) => {
    setSelected(id);
    const s = scenarios.data?.find((x) => x.id === id);
    setDraft(null);
    setApplied(s?.baselines ?? []);
  };
  const edit = (taskType: string, patch: Partial<Draft[string]>) => setDraft({ ...shown, [taskType]: { ...shown[taskType]!, ...patch } });
  const errorAt = (taskType: string, field: string) => {
    const i = overridesOf(assumptions, shown).findIndex((o) => o.taskType === taskType);
    return i < 0 ? undefined : errors[`${i}.${field}`];
  };
  const columns: Column<Assumption>[] = [
    { id: "name", header: "Task type", value: (a) => a.name },
    { id: "official-minutes", header: "Official minutes", type: "number", digits: 2, value: (a) => a.baselineMinutes },
    { id: "official-rate", header: "Official hourly cost", type: "money", currency: official.data.currency, value: (a) => a.loadedHourlyCost },
    {
      id: "minutes",
      header: "What-if minutes",
      csv: false,
      cell: (a) => (
        <Field label={<span className="sr-only">What-if minutes for {a.name}</span>} error={errorAt(a.taskType, "baselineMinutes")}>
          <Input inputMode="decimal" aria-label={`What-if minutes for ${a.name}`} className="w-24 text-right" value={shown[a.taskType]?.baselineMinutes ?? ""} onChange={(e) => edit(a.taskType, { baselineMinutes: e.target.value })} />
        </Field>
      ),
    },
    {
      id: "rate",
      header: "What-if hourly cost",
      csv: false,
      cell: (a) => (
        <Field label={<span className="sr-only">What-if hourly cost for {a.name}</span>} error={errorAt(a.taskType, "loadedHourlyCost")}>
          <Input inputMode="decimal" aria-label={`What-if hourly cost for ${a.name}`} className="w-28 text-right" value={shown[a.taskType]?.loadedHourlyCost ?? ""} onChange={(e) => edit(a.taskType, { loadedHourlyCost: e.target.value })} />
        </Field>
      ),
    },
  ];
  const shareUrl = current?.sharePath ? `${typeof window === "undefined" ? "" : window.location.origin}${current.sharePath}${search ? `?${new URLSearchParams(search).toString()}` : ""}` : null;

  return (
    <Card aria-label="What-if scenarios">
      <CardHeader>
        <div>
          <CardTitle>What-if baselines</CardTitle>
          <CardDescription>Try other human baselines and compare with the official figures. Nothing here changes anyone else&apos;s numbers.</CardDescription>
        </div>
        <Field label="Scenario">
          <Select value={selected ?? ""} onChange={(e) => pick(e.target.value ? Number(e.target.value) : null)}>
            <option value="">(new what-if)</option>
            {scenarios.data?.map((s) => <option key={s.id} value={s.id}>{s.name}{s.sharePath ? " (shared)" : ""}</option>)}
          </Select>
        </Field>
      </CardHeader>
      <DataTable title="Baselines" heading={false} columns={columns} rows={assumptions} rowKey={(a) => a.taskType} pageSize={100} search={false} empty="No task types." />
      {errors["(root)"] && <p className="text-xs text-danger">{errors["(root)"]}</p>}
      <div className="mt-3 flex flex-wrap items-end gap-2">
        <Button onClick={() => { const o = check(); if (o) setApplied(o); }}>Compare with official</Button>
        <Button variant="ghost" onClick={() => { setDraft(draftFrom(assumptions)); setApplied([]); }}>Reset to official</Button>
        {current?.mine ? (
          <>
            <Button variant="secondary" disabled={update.isPending} onClick={() => { const o = check(); if (o) update.mutate({ id: current.id, baselines: o }); }}>Save changes to “{current.name}”</Button>
            <Button variant="secondary" disabled={update.isPending} onClick={() => update.mutate({ id: current.id, shared: !current.sharePath })}>{current.sharePath ? "Make private" : "Share read-only link"}</Button>
            <Button variant="danger-link" onClick={async () => { if (await confirm({ title: `Delete “${current.name}”?`, confirmLabel: "Delete scenario", tone: "danger" })) remove.mutate(current.id); }}>Delete</Button>
          </>
        ) : (
          <form
            className="flex flex-wrap items-end gap-2"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const o = check();
              if (!o) return;
              const found = fieldErrors(scenarioCreate, { name, baselines: o });
              setErrors(found);
              if (Object.keys(found).length === 0) create.mutate({ name: name.trim(), baselines: o });
            }}
          >
            <Field label="Scenario name" error={errors.name ?? apiFieldErrors(create.error).name}>
              <Input value={name} onChange={(e) => setName(e.target.value)} className="w-56 max-w-full" />
            </Field>
            <Button type="submit" variant="secondary" disabled={create.isPending}>Save as scenario</Button>
          </form>
        )}
      </div>
      {shareUrl && (
        <p className="mt-2 text-sm">
          Read-only link: <a href={shareUrl} data-testid="scenario-link" className="break-all text-accent-foreground underline">{shareUrl}</a>
        </p>
      )}
      {applied.length > 0 && (whatIf.isError ? <ErrorState error={whatIf.error} /> : whatIf.data ? <RoiComparison official={official.data} whatIf={whatIf.data} /> : <Loading what="what-if" />)}
    </Card>
  );
}
