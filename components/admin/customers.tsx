"use client";
import { useState } from "react";
import { customerCreate, customerPlanAssign, customerUpdate } from "@/lib/admin/schemas";
import { EntityForm, type Field } from "./entity-form";
import { useMutate } from "./queries";
import { ResourceAdmin } from "./resource-admin";
import { Button } from "@/components/ui/button";

type Customer = {
  id: number;
  key: string;
  name: string;
  salesforceAccountId: string | null;
  billingCurrency: string | null;
  fxRule: string;
  billingEmail: string | null;
  legalName: string | null;
  taxCountry: string | null;
  taxExempt: boolean;
  reverseCharge: boolean;
  plans: { id: number; effectiveFrom: string; effectiveTo: string | null; plan: { key: string; version: number; name: string } }[];
};
export type PlanOption = { id: number; key: string; version: number; name: string };

const fields: Field[] = [
  { name: "name", label: "Name" },
  { name: "salesforceAccountId", label: "Salesforce account Id", nullable: true },
  { name: "billingCurrency", label: "Billing currency", nullable: true, hint: "ISO 4217 code its invoices are issued in; empty = the rate card's currency" },
  { name: "billingEmail", label: "Billing email", nullable: true, hint: "Where finalized invoices are sent" },
  {
    name: "fxRule",
    label: "FX rate for usage in other currencies",
    type: "select",
    options: [
      { value: "period_end", label: "The period's last day" },
      { value: "event_day", label: "Each event's day" },
    ],
  },
  // Printed on its invoices.
  { name: "legalName", label: "Legal name", nullable: true, hint: "On invoices; empty = the name" },
  { name: "billingAddress", label: "Billing address", type: "textarea", nullable: true },
  { name: "taxId", label: "Tax ID", nullable: true, hint: "VAT/GST number" },
  { name: "billingEmail", label: "Billing email", type: "email", nullable: true },
  { name: "poNumber", label: "PO number", nullable: true },
  { name: "paymentTermsDays", label: "Payment terms (days)", type: "number", nullable: true, hint: "Empty = the organization's terms" },
  // Tax.
  { name: "taxCountry", label: "Tax country", nullable: true, hint: "ISO code, e.g. DE; empty = no tax on its invoices" },
  { name: "taxRegion", label: "Tax region", nullable: true, hint: "State or province, where its rates differ" },
  { name: "taxExempt", label: "Tax exempt", type: "checkbox" },
  { name: "taxExemptReason", label: "Exemption certificate or reason", nullable: true, hint: "Required when exempt; printed on invoices" },
  { name: "reverseCharge", label: "Reverse charge (customer accounts for the tax)", type: "checkbox" },
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
          { id: "key", header: "Key", value: (c) => c.key, cell: (c) => <code>{c.key}</code> },
          { id: "name", header: "Name", value: (c) => c.name },
          { id: "salesforce", header: "Salesforce", value: (c) => c.salesforceAccountId },
          { id: "billingCurrency", header: "Billing currency", value: (c) => c.billingCurrency ?? "plan's" },
          { id: "billingEmail", header: "Billing email", value: (c) => c.billingEmail },
          { id: "tax", header: "Tax", value: (c) => (!c.taxCountry ? "none" : c.taxExempt ? `${c.taxCountry}, exempt` : c.reverseCharge ? `${c.taxCountry}, reverse charge` : c.taxCountry) },
          { id: "plan", header: "Current plan", value: (c) => { const p = current(c); return p ? `${p.plan.name} v${p.plan.version}` : "none"; } },
          { id: "planFrom", header: "Plan since", type: "datetime", value: (c) => current(c)?.effectiveFrom ?? null },
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
