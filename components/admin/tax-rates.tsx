"use client";
import { ratedTaxCategories, taxRateCreate, taxRateUpdate } from "@/lib/billing/tax-schemas";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import type { Field } from "./entity-form";
import { useMutate } from "./queries";
import { ResourceAdmin } from "./resource-admin";

type TaxRate = { id: number; country: string; region: string | null; category: string; name: string; ratePercent: string; effectiveFrom: string; effectiveTo: string | null; source: string };

const fields: Field[] = [
  { name: "country", label: "Country", hint: "ISO code, e.g. DE" },
  { name: "region", label: "Region", nullable: true, hint: "State or province code; empty = the whole country" },
  { name: "category", label: "Tax category", type: "select", options: ratedTaxCategories.map((c) => ({ value: c, label: c.replace("_", " ") })) },
  { name: "name", label: "Printed name", hint: "e.g. VAT, GST, Sales tax" },
  { name: "ratePercent", label: "Rate (%)", type: "decimal" },
  { name: "effectiveFrom", label: "Effective from", type: "datetime" },
  { name: "effectiveTo", label: "Effective until", type: "datetime", nullable: true },
];

export function TaxRatesAdmin() {
  const mutate = useMutate("tax-rates");
  const confirm = useConfirm();
  return (
    <ResourceAdmin<TaxRate>
      resource="tax-rates"
      noun="tax rate"
      createSchema={taxRateCreate}
      createFields={fields}
      editSchema={taxRateUpdate}
      editFields={fields}
      columns={[
        { id: "country", header: "Country", value: (r) => r.country },
        { id: "region", header: "Region", value: (r) => r.region ?? "all" },
        { id: "category", header: "Category", value: (r) => r.category },
        { id: "name", header: "Name", value: (r) => r.name },
        { id: "rate", header: "Rate (%)", type: "number", digits: 4, value: (r) => r.ratePercent, cell: (r) => `${r.ratePercent}%` },
        { id: "from", header: "From", type: "datetime", value: (r) => r.effectiveFrom },
        { id: "until", header: "Until", type: "datetime", value: (r) => r.effectiveTo },
        { id: "source", header: "Source", value: (r) => r.source },
      ]}
      actions={(r) => (
        <Button
          variant="danger-link"
          onClick={async () => {
            if (await confirm({ title: `Delete the ${r.name} ${r.ratePercent}% rate of ${r.country}?`, description: "Issued invoices keep their tax; drafts lose this rate when regenerated.", confirmLabel: "Delete rate" })) {
              mutate.mutate({ method: "DELETE", path: r.id });
            }
          }}
        >
          Delete
        </Button>
      )}
    />
  );
}
