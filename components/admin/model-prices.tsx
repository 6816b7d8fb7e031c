"use client";
import { modelPriceCreate, modelPriceUpdate } from "@/lib/admin/schemas";
import type { Field } from "./entity-form";
import { when } from "./format";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { useMutate } from "./queries";
import { ResourceAdmin } from "./resource-admin";

type ModelPrice = {
  id: number;
  model: string;
  provider: string;
  currency: string;
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string | null;
  cacheCreationPerMTok: string | null;
  reasoningPerMTok: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  serviceTier: string;
};

const fields: Field[] = [
  { name: "model", label: "Model" },
  { name: "provider", label: "Provider" },
  { name: "currency", label: "Currency", hint: "ISO code, e.g. USD" },
  { name: "inputPerMTok", label: "Input per 1M tokens", type: "decimal" },
  { name: "outputPerMTok", label: "Output per 1M tokens", type: "decimal" },
  { name: "cacheReadPerMTok", label: "Cache read per 1M", type: "decimal", nullable: true },
  { name: "cacheCreationPerMTok", label: "Cache write per 1M", type: "decimal", nullable: true, hint: "Empty = input price" },
  { name: "reasoningPerMTok", label: "Reasoning per 1M", type: "decimal", nullable: true, hint: "Empty = output price" },
  { name: "effectiveFrom", label: "Effective from", type: "datetime" },
  { name: "effectiveTo", label: "Effective until", type: "datetime", nullable: true },
  {
    name: "serviceTier",
    label: "Service tier",
    type: "select",
    options: ["default", "batch", "flex", "priority"].map((t) => ({ value: t, label: t })),
    hint: "A batch, flex or priority row is that tier's own price",
  },
];

export function ModelPricesAdmin() {
  const mutate = useMutate("model-prices");
  const confirm = useConfirm();
  return (
    <ResourceAdmin<ModelPrice>
      resource="model-prices"
      noun="model price"
      createSchema={modelPriceCreate}
      createFields={fields}
      editSchema={modelPriceUpdate}
      editFields={fields}
      columns={[
        { label: "Model", render: (p) => <code>{p.model}</code> },
        { label: "Provider", render: (p) => p.provider },
        { label: "Tier", render: (p) => p.serviceTier },
        { label: "Input", render: (p) => `${p.inputPerMTok} ${p.currency.trim()}` },
        { label: "Output", render: (p) => p.outputPerMTok },
        { label: "Cache read", render: (p) => p.cacheReadPerMTok ?? "—" },
        { label: "Cache write", render: (p) => p.cacheCreationPerMTok ?? "=input" },
        { label: "From", render: (p) => when(p.effectiveFrom) },
        { label: "Until", render: (p) => when(p.effectiveTo) },
      ]}
      actions={(p) => (
        <Button
          variant="danger-link"
          onClick={async () => {
            if (await confirm({ title: `Delete the ${p.model} price from ${when(p.effectiveFrom)}?`, description: "Events already priced keep their cost; new events use the remaining prices.", confirmLabel: "Delete price" })) {
              mutate.mutate({ method: "DELETE", path: p.id });
            }
          }}
        >
          Delete
        </Button>
      )}
    />
  );
}
