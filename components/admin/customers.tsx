"use client";
import { useState } from "react";
import { customerCreate, customerPlanAssign, customerUpdate } from "@/lib/admin/schemas";
import { EntityForm, type Field } from "./entity-form";
import { when } from "./format";
import { useMutate } from "./queries";
import { ResourceAdmin } from "./resource-admin";
import { Button } from "@/components/ui/button";

type Customer = {
  id: number;
  key: string;
  name: string;
  salesforceAccountId: string | null;
  plans: { id: number; effectiveFrom: string; effectiveTo: string | null; plan: { key: string; version: number; name: string } }[];
};
export type PlanOption = { id: number; key: string; version: number; name: string };

const fields: Field[] = [
  { name: "name", label: "Name" },
  { name: "salesforceAccountId", label: "Salesforce account Id", nullable: true },
];

export function CustomersAdmin({ plans }: { plans: PlanOption[] }) {
  const [assigning, setAssigning] = useState<Customer | null>(null);
  const mutate = useMutate("customers");
  const current = (c: Customer) => c.plans.find((p) => new Date(p.effectiveFrom) <= new Date() && (!p.effectiveTo || new Date(p.effectiveTo) > new Date()));
  return (
    <div className="space-y-6">
      {assigning && (
        <EntityForm
          key={assigning.id}
          title={`Assign a plan to ${assigning.name}`}
          schema={customerPlanAssign}
          fields={[
            { name: "planId", label: "Plan", type: "select", options: plans.map((p) => ({ value: String(p.id), label: `${p.name} (${p.key} v${p.version})` })) },
            { name: "effectiveFrom", label: "From", type: "datetime", hint: "The open assignment ends here" },
            { name: "effectiveTo", label: "Until", type: "datetime", nullable: true },
          ]}
          submitLabel="Assign plan"
          onCancel={() => setAssigning(null)}
          onSubmit={async (body) => {
            await mutate.mutateAsync({ method: "POST", path: `${assigning.id}/plans`, body });
            setAssigning(null);
          }}
        />
      )}
      <ResourceAdmin<Customer>
        resource="customers"
        noun="customer"
        createSchema={customerCreate}
        createFields={[{ name: "key", label: "Key", hint: "Sent by sources as customer in events" }, ...fields]}
        editSchema={customerUpdate}
        editFields={fields}
        columns={[
          { label: "Key", render: (c) => <code>{c.key}</code> },
          { label: "Name", render: (c) => c.name },
          { label: "Salesforce", render: (c) => c.salesforceAccountId ?? "—" },
          { label: "Current plan", render: (c) => { const p = current(c); return p ? `${p.plan.name} v${p.plan.version} since ${when(p.effectiveFrom)}` : "none"; } },
        ]}
        actions={(c) => (
          <Button variant="link" onClick={() => setAssigning(c)} disabled={plans.length === 0}>
            Assign plan
          </Button>
        )}
      />
    </div>
  );
}
