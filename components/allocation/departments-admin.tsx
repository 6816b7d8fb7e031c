"use client";
// Managing the cost-center tree: create, rename, re-parent, archive (admin); budgets (admin, finance).
import { useState } from "react";
import { ApiClientError } from "@/components/api-client";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { formatNumber } from "@/lib/format";
import type { DepartmentResponse } from "@/lib/allocation/schemas";
import { useAssignAgent, useCreateDepartment, useDepartments, useSetBudget, useUpdateDepartment } from "./queries";

const input = "rounded-md border border-slate-300 px-2 py-1 text-sm";
const button = "rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-50";

function errorText(error: Error | null): string | null {
  if (!error) return null;
  const details = error instanceof ApiClientError && error.details?.length ? `: ${error.details.map((d) => `${d.path} ${d.message}`).join("; ")}` : "";
  return `${error.message}${details}`;
}

function ErrorLine({ error }: { error: Error | null }) {
  const text = errorText(error);
  return text ? <p role="alert" className="text-sm text-rose-700">{text}</p> : null;
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

function CreateForm({ departments }: { departments: DepartmentResponse[] }) {
  const create = useCreateDepartment();
  return (
    <form
      aria-label="New department"
      className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const target = e.currentTarget;
        create.mutate(
          { code: text(form, "code").toUpperCase(), name: text(form, "name"), parent: text(form, "parent") || null, monthlyBudget: text(form, "budget") || null },
          { onSuccess: () => target.reset() },
        );
      }}
    >
      <h2 className="w-full font-medium">New department</h2>
      <label className="text-xs text-slate-600">Code<input name="code" required aria-label="Code" className={`${input} ml-1 w-28`} /></label>
      <label className="text-xs text-slate-600">Name<input name="name" required aria-label="Name" className={`${input} ml-1`} /></label>
      <label className="text-xs text-slate-600">
        Parent
        <select name="parent" aria-label="Parent" className={`${input} ml-1`} defaultValue="">
          <option value="">(top level)</option>
          {departments.filter((d) => !d.archived).map((d) => <option key={d.code} value={d.code}>{d.code} — {d.name}</option>)}
        </select>
      </label>
      <label className="text-xs text-slate-600">Monthly budget<input name="budget" inputMode="decimal" aria-label="Monthly budget" className={`${input} ml-1 w-28`} /></label>
      <button type="submit" className={button} disabled={create.isPending}>Create</button>
      <div className="w-full"><ErrorLine error={create.error} /></div>
    </form>
  );
}

function ManagePanel({ d, departments, agentKeys, isAdmin }: { d: DepartmentResponse; departments: DepartmentResponse[]; agentKeys: string[]; isAdmin: boolean }) {
  const update = useUpdateDepartment();
  const budget = useSetBudget();
  const assign = useAssignAgent();
  const submit = (handler: (form: FormData) => void) => (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    handler(new FormData(e.currentTarget));
  };
  return (
    <div className="space-y-3 bg-slate-50 p-3">
      <form aria-label={`Budget for ${d.code}`} className="flex flex-wrap items-end gap-2" onSubmit={submit((f) => budget.mutate({ code: d.code, monthlyBudget: text(f, "budget") || null }))}>
        <label className="text-xs text-slate-600">Monthly budget<input name="budget" inputMode="decimal" aria-label={`Monthly budget for ${d.code}`} defaultValue={d.monthlyBudget ?? ""} className={`${input} ml-1 w-32`} /></label>
        <button type="submit" className={button} disabled={budget.isPending}>Save budget</button>
        <span className="text-xs text-slate-500">Alerts at {d.thresholds.length ? d.thresholds.map((t) => `${t.percent}% of ${t.basis}`).join(", ") : "50/80/100% of spend and 100% of forecast"}</span>
      </form>
      <ErrorLine error={budget.error} />
      {isAdmin && (
        <>
          <form aria-label={`Edit ${d.code}`} className="flex flex-wrap items-end gap-2" onSubmit={submit((f) => update.mutate({ code: d.code, name: text(f, "name"), parent: text(f, "parent") || null }))}>
            <label className="text-xs text-slate-600">Name<input name="name" aria-label={`Name of ${d.code}`} defaultValue={d.name} className={`${input} ml-1`} /></label>
            <label className="text-xs text-slate-600">
              Parent
              <select name="parent" aria-label={`Parent of ${d.code}`} defaultValue={d.parent ?? ""} className={`${input} ml-1`}>
                <option value="">(top level)</option>
                {departments.filter((p) => p.code !== d.code && !p.archived).map((p) => <option key={p.code} value={p.code}>{p.code} — {p.name}</option>)}
              </select>
            </label>
            <button type="submit" className={button} disabled={update.isPending}>Save</button>
            <button type="button" className={button} disabled={update.isPending} onClick={() => update.mutate({ code: d.code, archived: !d.archived })}>
              {d.archived ? "Restore" : "Archive"}
            </button>
          </form>
          <ErrorLine error={update.error} />
          {!d.archived && (
            <form aria-label={`Assign agent to ${d.code}`} className="flex flex-wrap items-end gap-2" onSubmit={submit((f) => assign.mutate({ code: d.code, agent: text(f, "agent") }))}>
              <label className="text-xs text-slate-600">
                Agent key
                <input name="agent" required list="agent-keys" aria-label={`Agent to assign to ${d.code}`} className={`${input} ml-1`} />
              </label>
              <button type="submit" className={button} disabled={assign.isPending}>Assign agent</button>
              <span className="text-xs text-slate-500">New events are booked here; past events keep their department.</span>
            </form>
          )}
          <ErrorLine error={assign.error} />
          <datalist id="agent-keys">{agentKeys.map((k) => <option key={k} value={k} />)}</datalist>
        </>
      )}
    </div>
  );
}

export function DepartmentsAdmin({ isAdmin }: { isAdmin: boolean }) {
  const query = useDepartments();
  const [open, setOpen] = useState<string | null>(null);
  if (query.isPending) return <Loading what="departments" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const departments = query.data.departments;
  const agentKeys = [...new Set(departments.flatMap((d) => d.agents.map((a) => a.key)))].sort();
  return (
    <div className="space-y-6">
      {isAdmin && <CreateForm departments={departments} />}
      {departments.length === 0 ? (
        <Empty message="No departments yet." />
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm" aria-label="Departments">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="p-2 font-normal">Code</th>
              <th className="p-2 font-normal">Name</th>
              <th className="p-2 font-normal">Parent</th>
              <th className="p-2 font-normal">Owner</th>
              <th className="p-2 text-right font-normal">Monthly budget</th>
              <th className="p-2 font-normal">Agents</th>
              <th className="p-2" />
            </tr>
          </thead>
          <tbody>
            {departments.flatMap((d) => [
              <tr key={d.code} className={`border-t border-slate-100 ${d.archived ? "text-slate-500" : ""}`} data-testid={`department-row-${d.code}`}>
                <td className="p-2 font-mono">{d.code}</td>
                <td className="p-2">{d.name}{d.archived ? " (archived)" : ""}</td>
                <td className="p-2">{d.parent ?? "—"}</td>
                <td className="p-2">{d.owner?.name ?? "—"}</td>
                <td className="p-2 text-right tabular-nums">{d.monthlyBudget ? formatNumber(d.monthlyBudget, 2) : "—"}</td>
                <td className="p-2">{d.agents.map((a) => a.key).join(", ") || "—"}</td>
                <td className="p-2 text-right">
                  <button type="button" className={button} aria-expanded={open === d.code} onClick={() => setOpen(open === d.code ? null : d.code)}>
                    Manage {d.code}
                  </button>
                </td>
              </tr>,
              open === d.code && (
                <tr key={`${d.code}-manage`}>
                  <td colSpan={7}><ManagePanel d={d} departments={departments} agentKeys={agentKeys} isAdmin={isAdmin} /></td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      )}
    </div>
  );
}
