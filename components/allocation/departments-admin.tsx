"use client";
// The cost-center tree (admin; finance sees it and sets budgets): create, edit, re-parent, owner, budget and its
// alert ladder, agents by name, archive. Forms check with the API's own schemas before sending.
import { useState } from "react";
import { apiFieldErrors, fieldErrors, type FieldErrors } from "@/components/forms/field-errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorState } from "@/components/ui/states";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { departmentCreate, departmentUpdate, type DepartmentResponse } from "@/lib/allocation/schemas";
import { AgentPicker } from "./agent-picker";
import { ThresholdEditor } from "./threshold-editor";
import { subtreeCodes, treeOrder } from "./tree";
import { useAgentChoices, useAssignAgent, useCreateDepartment, useDepartments, useUpdateDepartment, useUserChoices, type UserChoice } from "./queries";

type Row = { department: DepartmentResponse; depth: number };

const ladderText = (d: DepartmentResponse) =>
  d.thresholds.length ? d.thresholds.map((t) => `${t.percent}% ${t.basis}`).join(", ") : d.monthlyBudget ? "default ladder" : "—";

export function DepartmentsAdmin({ isAdmin, currency }: { isAdmin: boolean; currency: string }) {
  const query = useDepartments();
  const users = useUserChoices(isAdmin);
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const archive = useUpdateDepartment("Archive state saved");
  const confirm = useConfirm();
  const departments = query.data?.departments ?? [];
  const rows = treeOrder(departments);
  const current = departments.find((d) => d.code === editing) ?? null;

  const toggleArchive = async (d: DepartmentResponse) => {
    const ok = await confirm(
      d.archived
        ? { title: `Restore ${d.name}?`, description: "It can receive agents and budgets again.", confirmLabel: "Restore" }
        : { title: `Archive ${d.name}?`, description: "It keeps its history but cannot receive new agents. Move or archive its sub-departments first.", confirmLabel: "Archive", tone: "danger" },
    );
    if (ok) archive.mutate({ code: d.code, archived: !d.archived });
  };

  const columns: Column<Row>[] = [
    {
      id: "department",
      header: "Department",
      value: (r) => `${r.department.name} ${r.department.code}`,
      cell: (r) => (
        <span className="inline-flex items-center gap-2" style={{ paddingLeft: `${r.depth * 1.25}rem` }} data-testid={`department-${r.department.code}`}>
          {r.depth > 0 && <span aria-hidden className="text-muted-foreground">└</span>}
          <span>{r.department.name}</span>
          <span className="font-mono text-xs text-muted-foreground">{r.department.code}</span>
          {r.department.archived && <Badge>archived</Badge>}
        </span>
      ),
    },
    { id: "parent", header: "Parent", value: (r) => r.department.parent, hidden: true },
    { id: "owner", header: "Owner", value: (r) => r.department.owner?.name ?? null },
    { id: "budget", header: "Monthly budget", type: "money", currency, value: (r) => r.department.monthlyBudget },
    { id: "thresholds", header: "Alert thresholds", value: (r) => ladderText(r.department) },
    { id: "agents", header: "Agents", value: (r) => r.department.agents.map((a) => a.name).join(", ") || null },
    {
      id: "actions",
      header: "Actions",
      csv: false,
      cell: (r) => (
        <span className="flex gap-3">
          <Button variant="link" onClick={() => setEditing(r.department.code)} aria-label={`Edit ${r.department.code}`}>Edit</Button>
          {isAdmin && (
            <Button variant={r.department.archived ? "link" : "danger-link"} onClick={() => toggleArchive(r.department)} aria-label={`${r.department.archived ? "Restore" : "Archive"} ${r.department.code}`}>
              {r.department.archived ? "Restore" : "Archive"}
            </Button>
          )}
        </span>
      ),
    },
  ];

  return (
    <div className="space-y-4">
      <PageHeader
        title="Departments"
        description="The cost-center tree. Departments are archived, never deleted: events keep the department they were booked to."
        actions={isAdmin && <Button onClick={() => setCreating(true)}>New department</Button>}
      />
      {query.isError ? (
        <ErrorState error={query.error} />
      ) : (
        <DataTable title="Cost centers" columns={columns} rows={rows} rowKey={(r) => r.department.code} loading={query.isPending} csvName="departments.csv" empty="No departments yet." pageSize={100} />
      )}
      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent title="New department">
          <DetailsForm departments={departments} users={users.data ?? []} onDone={() => setCreating(false)} />
        </DialogContent>
      </Dialog>
      <Dialog open={current !== null} onOpenChange={(open) => !open && setEditing(null)}>
        {current && (
          <DialogContent title={`${current.name} (${current.code})`} className="max-w-2xl">
            <Tabs defaultValue={isAdmin ? "details" : "budget"}>
              <TabsList>
                {isAdmin && <TabsTrigger value="details">Details</TabsTrigger>}
                <TabsTrigger value="budget">Budget and thresholds</TabsTrigger>
                {isAdmin && <TabsTrigger value="agents">Agents</TabsTrigger>}
              </TabsList>
              {isAdmin && (
                <TabsContent value="details">
                  <DetailsForm department={current} departments={departments} users={users.data ?? []} onDone={() => setEditing(null)} />
                </TabsContent>
              )}
              <TabsContent value="budget">
                <ThresholdEditor department={current} currency={currency} />
              </TabsContent>
              {isAdmin && (
                <TabsContent value="agents">
                  <AgentsTab department={current} />
                </TabsContent>
              )}
            </Tabs>
          </DialogContent>
        )}
      </Dialog>
    </div>
  );
}

/** Create (no `department`) or edit the name, parent and owner. The parent list leaves out the department's own subtree. */
function DetailsForm({ department, departments, users, onDone }: { department?: DepartmentResponse; departments: DepartmentResponse[]; users: UserChoice[]; onDone: () => void }) {
  const create = useCreateDepartment();
  const update = useUpdateDepartment();
  const mutation = department ? update : create;
  const [errors, setErrors] = useState<FieldErrors>({});
  const shown = { ...apiFieldErrors(mutation.error), ...errors };
  const excluded = department ? subtreeCodes(departments, department.code) : new Set<string>();
  const parents = treeOrder(departments.filter((d) => !d.archived && !excluded.has(d.code)));

  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (name: string) => String(f.get(name) ?? "").trim();
    const common = { name: text("name"), parent: text("parent") || null, ownerEmail: text("owner") || null };
    if (department) {
      const value = common;
      const found = fieldErrors(departmentUpdate, value);
      setErrors(found);
      if (Object.keys(found).length === 0) update.mutate({ code: department.code, ...value }, { onSuccess: onDone });
    } else {
      const value = { ...common, code: text("code").toUpperCase(), monthlyBudget: text("budget") || null };
      const found = fieldErrors(departmentCreate, value);
      setErrors(found);
      if (Object.keys(found).length === 0) create.mutate(value, { onSuccess: onDone });
    }
  };

  return (
    <form aria-label={department ? `Details of ${department.code}` : "New department"} className="grid gap-3 sm:grid-cols-2" onSubmit={submit} noValidate>
      {!department && (
        <Field label="Code" error={shown.code} hint="Upper-case letters, digits, - or _">
          <Input name="code" autoFocus />
        </Field>
      )}
      <Field label="Name" error={shown.name}>
        <Input name="name" defaultValue={department?.name ?? ""} />
      </Field>
      <Field label="Parent" error={shown.parent} hint={department ? "Its own sub-departments are not offered: no cycles." : undefined}>
        <Select name="parent" defaultValue={department?.parent ?? ""}>
          <option value="">(top level)</option>
          {parents.map(({ department: p, depth }) => (
            <option key={p.code} value={p.code}>{`${"  ".repeat(depth)}${p.name} (${p.code})`}</option>
          ))}
        </Select>
      </Field>
      <Field label="Owner" error={shown.ownerEmail}>
        <Select name="owner" defaultValue={department?.owner?.email ?? ""}>
          <option value="">(no owner)</option>
          {users.filter((u) => u.active || u.email === department?.owner?.email).map((u) => (
            <option key={u.id} value={u.email}>{`${u.name} (${u.email})`}</option>
          ))}
        </Select>
      </Field>
      {!department && (
        <Field label="Monthly budget" error={shown.monthlyBudget} hint="Optional; thresholds can be set after creating it">
          <Input name="budget" inputMode="decimal" />
        </Field>
      )}
      <div className="flex justify-end gap-2 sm:col-span-2">
        <Button type="submit" disabled={mutation.isPending}>{department ? "Save details" : "Create department"}</Button>
      </div>
    </form>
  );
}

function AgentsTab({ department }: { department: DepartmentResponse }) {
  const agents = useAgentChoices();
  const assign = useAssignAgent();
  if (department.archived) return <p className="text-sm text-muted-foreground">An archived department cannot receive agents. Restore it first.</p>;
  const mine = new Set(department.agents.map((a) => a.key));
  return (
    <div className="space-y-3 text-sm">
      <p className="text-muted-foreground">Assigning makes this the agent&apos;s default department: new events are booked here; past events keep theirs.</p>
      {agents.isError ? (
        <ErrorState error={agents.error} />
      ) : (
        <AgentPicker
          label={`Assign an agent to ${department.code}`}
          agents={(agents.data ?? []).filter((a) => !mine.has(a.key))}
          disabled={agents.isPending || assign.isPending}
          onPick={(a) => assign.mutate({ code: department.code, agent: a.key })}
        />
      )}
      <ul aria-label={`Agents of ${department.code}`} className="divide-y divide-border rounded-control border border-border">
        {department.agents.length === 0 ? (
          <li className="px-3 py-2 text-muted-foreground">No agents yet.</li>
        ) : (
          department.agents.map((a) => (
            <li key={a.key} className="flex justify-between px-3 py-2">
              <span>{a.name} <span className="font-mono text-xs text-muted-foreground">{a.key}</span></span>
              {a.shared && <Badge tone="info">shared</Badge>}
            </li>
          ))
        )}
      </ul>
    </div>
  );
}
