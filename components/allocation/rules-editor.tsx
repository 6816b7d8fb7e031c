"use client";
// The allocation rules editor: a new version for a shared agent (every method the engine has), checked as you type
// with the API's own schema and rule checks, previewed for a month (each department before and after, computed by
// the server without saving), saved after a confirmation; the versions list ends or deletes a version.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { ErrorState, Loading } from "@/components/ui/states";
import { Decimal } from "@/lib/allocation/decimal";
import { DRIVERS, METHODS, overlapProblems, ruleProblems, type Driver, type Method } from "@/lib/allocation/rules";
import { ruleCreate, type PreviewResponse, type RuleResponse } from "@/lib/allocation/schemas";
import { useCreateRule, useDeleteRule, useDepartments, useEndRule, usePreview, useRules } from "./queries";

type Share = { department: string; percent: string };
type Draft = { agent: string; method: Method; driver: Driver | ""; effectiveFrom: string; effectiveTo: string; shares: Share[] };

const METHOD_LABELS: Record<Method, string> = { fixed: "Fixed percentages", proportional: "Proportional to usage", even: "Even split" };

function body(d: Draft) {
  return {
    agent: d.agent,
    method: d.method,
    driver: d.method === "proportional" ? d.driver || null : null,
    effectiveFrom: d.effectiveFrom,
    effectiveTo: d.effectiveTo || null,
    shares: d.shares.filter((s) => s.department).map((s) => ({ department: s.department, percent: d.method === "fixed" ? s.percent || null : null })),
  };
}

/** Problems by field path, from the same schema and checks the API runs (departments and overlaps included). */
function problemsOf(d: Draft, departments: Set<string>, versions: RuleResponse[]): Map<string, string> {
  const out = new Map<string, string>();
  const b = body(d);
  const parsed = ruleCreate.safeParse(b);
  if (!parsed.success) for (const i of parsed.error.issues) out.set(i.path.join("."), i.message);
  if (!d.agent) out.set("agent", "choose an agent");
  const shares = b.shares.map((s) => ({ departmentId: b.shares.findIndex((x) => x.department === s.department), percent: s.percent ? new Decimal(s.percent) : null }));
  if (parsed.success) for (const p of ruleProblems({ method: b.method, driver: b.driver as Driver | null, shares })) if (!out.has(p.path)) out.set(p.path, p.message);
  b.shares.forEach((s, i) => {
    if (!departments.has(s.department)) out.set(`shares.${i}.department`, `no department with code ${s.department}`);
  });
  const own = versions.filter((v) => v.agent.key === d.agent);
  const same = own.find((v) => v.effectiveFrom === d.effectiveFrom);
  if (same) out.set("effectiveFrom", `version #${same.id} already starts on ${d.effectiveFrom}: end or delete it, or pick another day`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(d.effectiveFrom)) {
    for (const p of overlapProblems({ effectiveFrom: d.effectiveFrom, effectiveTo: b.effectiveTo }, own)) if (!out.has(p.path)) out.set(p.path, p.message);
  }
  return out;
}

function PreviewTable({ preview, currency }: { preview: PreviewResponse; currency: string }) {
  type Row = { code: string; name: string; before: string; after: string; change: string };
  const rows: Row[] = [...preview.departments, ...(preview.unallocated ? [{ code: "—", name: "Unallocated", ...preview.unallocated }] : [])];
  const money = (id: "before" | "after" | "change", header: string): Column<Row> => ({ id, header, type: "money", currency, value: (r) => r[id] });
  return (
    <DataTable
      title={`Preview for ${preview.period}`}
      description={
        preview.requestedClosed
          ? `${preview.requested} is closed: it keeps its figures, and the change reaches ${preview.period} as adjustments. ${preview.period} before and after:`
          : "What each department pays this month, before and after saving. Nothing is saved yet."
      }
      columns={[{ id: "name", header: "Department", value: (r) => r.name, cell: (r) => <span data-testid={`preview-row-${r.code === "—" ? "UNALLOCATED" : r.code}`}>{r.name}</span> }, money("before", "Before"), money("after", "After"), money("change", "Change")]}
      rows={rows}
      rowKey={(r) => r.code + r.name}
      pageSize={50}
    />
  );
}

function EndDialog({ rule, onClose, currency }: { rule: RuleResponse; onClose: () => void; currency: string }) {
  const end = useEndRule();
  const [day, setDay] = useState(rule.effectiveTo ?? "");
  const complete = day === "" || (/^\d{4}-\d{2}-\d{2}$/.test(day) && day >= rule.effectiveFrom);
  const preview = usePreview(complete ? { period: (day || rule.effectiveFrom).slice(0, 7), change: { kind: "end", id: rule.id, effectiveTo: day || null } } : null);
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={`End rule #${rule.id} for ${rule.agent.name}`} description="The last day the rule applies; after it the agent's cost is unallocated until its next version. Empty: no end.">
        <form
          className="space-y-3"
          onSubmit={async (e) => {
            e.preventDefault();
            await end.mutateAsync({ id: rule.id, effectiveTo: day || null });
            onClose();
          }}
        >
          <Field label="Last day" error={complete ? undefined : `must be on or after ${rule.effectiveFrom}`}>
            <Input type="date" value={day} min={rule.effectiveFrom} onChange={(e) => setDay(e.target.value)} />
          </Field>
          {preview.data && <PreviewTable preview={preview.data} currency={currency} />}
          {preview.isError && <ErrorState error={preview.error} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>Cancel</Button>
            <Button type="submit" disabled={!complete || end.isPending}>{day ? `End on ${day}` : "Remove the end"}</Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function RulesEditor({ initialAgent, initialFrom, currency }: { initialAgent: string | null; initialFrom: string; currency: string }) {
  const rules = useRules();
  const departments = useDepartments();
  const agents = useQuery({ queryKey: ["agents"], queryFn: ({ signal }) => apiFetch<{ items: { key: string; name: string; shared: boolean }[] }>("/api/v1/agents", { signal }) });
  const create = useCreateRule();
  const remove = useDeleteRule();
  const confirm = useConfirm();
  const empty: Draft = { agent: initialAgent ?? "", method: "fixed", driver: "", effectiveFrom: initialFrom, effectiveTo: "", shares: [{ department: "", percent: "" }, { department: "", percent: "" }] };
  const [draft, setDraft] = useState<Draft>(empty);
  const [month, setMonth] = useState(initialFrom.slice(0, 7));
  const [ending, setEnding] = useState<RuleResponse | null>(null);
  const codes = useMemo(() => new Set((departments.data?.departments ?? []).filter((d) => !d.archived).map((d) => d.code)), [departments.data]);
  const problems = useMemo(() => problemsOf(draft, codes, rules.data?.rules ?? []), [draft, codes, rules.data]);
  const valid = problems.size === 0 && codes.size > 0;
  const preview = usePreview(valid && /^\d{4}-\d{2}$/.test(month) ? { period: month, change: { kind: "create", rule: body(draft) } } : null);

  if (rules.isPending || departments.isPending || agents.isPending) return <Loading what="allocation rules" />;
  if (rules.isError) return <ErrorState error={rules.error} />;
  if (departments.isError) return <ErrorState error={departments.error} />;
  if (agents.isError) return <ErrorState error={agents.error} />;

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setShare = (i: number, patch: Partial<Share>) => setDraft((d) => ({ ...d, shares: d.shares.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const percentTotal = draft.shares.reduce((acc, s) => (s.percent && /^\d+(\.\d+)?$/.test(s.percent) ? acc.plus(s.percent) : acc), new Decimal(0));
  const error = (path: string) => problems.get(path);

  const columns: Column<RuleResponse>[] = [
    { id: "agent", header: "Agent", value: (r) => r.agent.name },
    { id: "method", header: "Method", value: (r) => `${METHOD_LABELS[r.method]}${r.driver ? ` (${r.driver})` : ""}` },
    { id: "from", header: "From", type: "date", value: (r) => r.effectiveFrom },
    { id: "to", header: "Until", type: "date", value: (r) => r.effectiveTo },
    { id: "shares", header: "Departments", value: (r) => r.shares.map((s) => `${s.department}${s.percent ? ` ${Number(s.percent)}%` : ""}`).join(", ") || "all that used it" },
    {
      id: "actions", header: "Actions", csv: false,
      cell: (r) => (
        <span className="flex gap-3">
          <Button variant="link" onClick={() => setDraft({ agent: r.agent.key, method: r.method, driver: r.driver ?? "", effectiveFrom: "", effectiveTo: "", shares: r.shares.map((s) => ({ department: s.department, percent: s.percent ?? "" })) })}>
            New version
          </Button>
          <Button variant="link" onClick={() => setEnding(r)}>End</Button>
          <Button
            variant="danger-link"
            onClick={async () => {
              const ok = await confirm({ title: `Delete rule #${r.id} for ${r.agent.name}?`, description: "Open months are recomputed without it; closed months keep their figures and the difference reaches the next open month as adjustments.", confirmLabel: "Delete rule", tone: "danger" });
              if (ok) await remove.mutateAsync(r.id);
            }}
          >
            Delete
          </Button>
        </span>
      ),
    },
  ];

  return (
    <div className="space-y-6">
      <Card className="space-y-4 p-4">
        <h2 className="font-medium">New rule version</h2>
        <form
          aria-label="Allocation rule"
          className="space-y-4"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!valid) return;
            const changed = preview.data?.departments.filter((d) => d.change !== "0.00").length ?? 0;
            const ok = await confirm({
              title: `Save the rule for ${draft.agent} from ${draft.effectiveFrom}?`,
              description: preview.data
                ? `${changed} department${changed === 1 ? "" : "s"} change in ${preview.data.period}.${preview.data.requestedClosed ? ` ${preview.data.requested} is closed: the change is carried into ${preview.data.period} as adjustments.` : ""}`
                : "Months from this day on are recomputed; closed months keep their figures.",
              confirmLabel: "Save rule",
            });
            if (!ok) return;
            await create.mutateAsync(body(draft));
            setDraft({ ...empty, agent: "" });
          }}
        >
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Field label="Agent" error={draft.agent ? error("agent") : undefined}>
              <Select value={draft.agent} onChange={(e) => set({ agent: e.target.value })}>
                <option value="">Choose an agent…</option>
                {agents.data.items.map((a) => (
                  <option key={a.key} value={a.key}>{a.name} ({a.key}){a.shared ? " · shared" : ""}</option>
                ))}
              </Select>
            </Field>
            <Field label="Method">
              <Select value={draft.method} onChange={(e) => set({ method: e.target.value as Method })}>
                {METHODS.map((m) => <option key={m} value={m}>{METHOD_LABELS[m]}</option>)}
              </Select>
            </Field>
            {draft.method === "proportional" && (
              <Field label="Driver" error={error("driver")} hint="Each department pays in proportion to its own use of the agent">
                <Select value={draft.driver} onChange={(e) => set({ driver: e.target.value as Driver | "" })}>
                  <option value="">Choose…</option>
                  {DRIVERS.map((d) => <option key={d} value={d}>{d}</option>)}
                </Select>
              </Field>
            )}
            <Field label="Effective from" error={error("effectiveFrom")}>
              <Input type="date" value={draft.effectiveFrom} onChange={(e) => set({ effectiveFrom: e.target.value })} />
            </Field>
            <Field label="Ends on (optional)" error={error("effectiveTo")}>
              <Input type="date" value={draft.effectiveTo} onChange={(e) => set({ effectiveTo: e.target.value })} />
            </Field>
          </div>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">
              Departments{draft.method === "proportional" ? " (optional: none = every department that used the agent)" : ""}
            </legend>
            {draft.shares.map((s, i) => (
              <div key={i} className="flex flex-wrap items-end gap-2">
                <Field label={`Department ${i + 1}`} error={error(`shares.${i}.department`)}>
                  <Select value={s.department} onChange={(e) => setShare(i, { department: e.target.value })}>
                    <option value="">Choose…</option>
                    {(departments.data.departments ?? []).filter((d) => !d.archived).map((d) => <option key={d.code} value={d.code}>{d.name} ({d.code})</option>)}
                  </Select>
                </Field>
                {draft.method === "fixed" && (
                  <Field label={`Percent ${i + 1}`} error={error(`shares.${i}.percent`)}>
                    <Input inputMode="decimal" value={s.percent} onChange={(e) => setShare(i, { percent: e.target.value })} className="w-28" />
                  </Field>
                )}
                <Button variant="danger-link" onClick={() => setDraft((d) => ({ ...d, shares: d.shares.filter((_, j) => j !== i) }))}>Remove</Button>
              </div>
            ))}
            <div className="flex flex-wrap items-center gap-4 text-sm">
              <Button variant="secondary" size="sm" onClick={() => setDraft((d) => ({ ...d, shares: [...d.shares, { department: "", percent: "" }] }))}>Add department</Button>
              {draft.method === "fixed" && <span data-testid="percent-total" className={percentTotal.equals(100) ? "text-success" : "text-danger"}>Total {percentTotal.toString()} %</span>}
              {error("shares") && <span role="alert" className="text-danger">Departments {error("shares")}</span>}
            </div>
          </fieldset>
          <div className="flex flex-wrap items-end gap-3">
            <Field label="Preview month">
              <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
            </Field>
            <Button type="submit" disabled={!valid || create.isPending}>Save rule</Button>
          </div>
        </form>
        {valid ? (
          preview.isPending ? <Loading what="preview" /> : preview.isError ? <ErrorState error={preview.error} /> : <PreviewTable preview={preview.data} currency={currency} />
        ) : (
          <p className="text-sm text-muted-foreground">The preview appears once the rule is complete.</p>
        )}
      </Card>
      <DataTable title="Rule versions" columns={columns} rows={rules.data.rules} rowKey={(r) => String(r.id)} csvName="allocation-rules.csv" empty="No allocation rules yet." />
      {ending && <EndDialog rule={ending} currency={currency} onClose={() => setEnding(null)} />}
    </div>
  );
}
