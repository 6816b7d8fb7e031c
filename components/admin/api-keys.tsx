"use client";
// API keys: the secret appears once, right after creation; the list only ever shows the prefix.
import { useState } from "react";
import { apiKeyCreate, apiKeyScopeValues, usageSourceValues } from "@/lib/admin/schemas";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { useConfirm } from "@/components/ui/confirm";
import { Select } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import { EntityForm } from "./entity-form";
import { useList, useMutate } from "./queries";

type ApiKey = {
  id: number;
  name: string;
  prefix: string;
  source: string;
  scopes: string[];
  rateLimitPerMinute: number | null;
  allowedAgents: string[];
  allowedDepartments: string[];
  allowedCustomers: string[];
  maxCostPerEvent: string | null;
  mayCreateEntities: boolean;
  mayWriteFinalized: boolean;
  usageSource: (typeof usageSourceValues)[number];
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  createdBy: { email: string } | null;
};

/** What a key may write, in one line: bindings, ceiling and the two permissions. */
export function keyAllows(k: Pick<ApiKey, "scopes" | "allowedAgents" | "allowedDepartments" | "allowedCustomers" | "maxCostPerEvent" | "mayCreateEntities" | "mayWriteFinalized">): string {
  if (!k.scopes.includes("ingest")) return "read only";
  const bound = (what: string, list: string[]) => (list.length ? `${what} ${list.join(", ")}` : `any ${what}`);
  return [
    bound("agent", k.allowedAgents),
    bound("department", k.allowedDepartments),
    bound("customer", k.allowedCustomers),
    k.maxCostPerEvent ? `at most ${k.maxCostPerEvent} per event` : "no cost ceiling",
    k.mayCreateEntities ? "creates unknown agents/customers" : "known agents/customers only",
    k.mayWriteFinalized ? "may write into finalized periods" : "not into finalized periods",
  ].join(" · ");
}

export function ApiKeysAdmin({ defaultRateLimit }: { defaultRateLimit: number }) {
  const list = useList<ApiKey>("api-keys");
  const mutate = useMutate<{ key: ApiKey; secret: string }>("api-keys");
  const confirm = useConfirm();
  const columns: Column<ApiKey>[] = [
    { id: "name", header: "Name", value: (k) => k.name },
    { id: "prefix", header: "Key", value: (k) => k.prefix, cell: (k) => <code>{k.prefix}…</code> },
    { id: "source", header: "Source", value: (k) => k.source, cell: (k) => <code>{k.source}</code> },
    { id: "scopes", header: "Scopes", value: (k) => k.scopes.join(", ") },
    { id: "allows", header: "May write", value: keyAllows, cell: (k) => <span className="text-xs text-muted-foreground">{keyAllows(k)}</span> },
    {
      id: "usageSource",
      header: "OTLP usage from",
      value: (k) => k.usageSource,
      // Changing it applies from the key's next request; the other signal is then accepted and not counted.
      cell: (k) =>
        k.revokedAt || !k.scopes.includes("ingest") ? (
          k.usageSource
        ) : (
          <Select
            aria-label={`OTLP usage source of ${k.name}`}
            className="w-28"
            value={k.usageSource}
            disabled={mutate.isPending}
            onChange={(e) => mutate.mutate({ method: "PATCH", path: k.id, body: { usageSource: e.target.value } })}
          >
            {usageSourceValues.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </Select>
        ),
    },
    { id: "limit", header: "Limit/min", type: "number", value: (k) => k.rateLimitPerMinute, cell: (k) => k.rateLimitPerMinute ?? "default" },
    { id: "lastUsed", header: "Last used", type: "datetime", value: (k) => k.lastUsedAt },
    { id: "created", header: "Created", type: "datetime", value: (k) => k.createdAt },
    { id: "createdBy", header: "Created by", value: (k) => k.createdBy?.email ?? null },
    { id: "status", header: "Status", value: (k) => (k.revokedAt ? "revoked" : "active") },
    { id: "revoked", header: "Revoked", type: "datetime", value: (k) => k.revokedAt, hidden: true },
    {
      id: "actions",
      header: "Actions",
      csv: false,
      cell: (k) =>
        !k.revokedAt && (
          <Button
            variant="danger-link"
            size="sm"
            onClick={async () => {
              if (await confirm({ title: `Revoke “${k.name}”?`, description: "Sources using it will be refused at once.", confirmLabel: "Revoke key" })) {
                mutate.mutate({ method: "DELETE", path: k.id });
              }
            }}
          >
            Revoke
          </Button>
        ),
    },
  ];
  const [created, setCreated] = useState<{ name: string; secret: string; allows: string } | null>(null);

  return (
    <div className="space-y-6">
      {created && (
        <section role="status" aria-label="New API key" className="space-y-2 rounded-card border border-success-border bg-success-soft p-4">
          <h2 className="font-medium">Key “{created.name}” created</h2>
          <p className="text-sm">Copy it now: it is shown only once and cannot be recovered.</p>
          <p className="text-sm" data-testid="new-api-key-allows">It may write: {created.allows}</p>
          <code data-testid="new-api-key-secret" className="block break-all rounded bg-surface p-2 text-sm">{created.secret}</code>
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" onClick={() => navigator.clipboard?.writeText(created.secret)}>
              Copy
            </Button>
            <Button variant="secondary" size="sm" onClick={() => setCreated(null)}>
              I have stored it
            </Button>
          </div>
        </section>
      )}
      <EntityForm
        title="New API key"
        schema={apiKeyCreate}
        fields={[
          { name: "name", label: "Name", hint: "Who uses it, e.g. “Agentforce connector”" },
          { name: "scopes", label: "Scopes", type: "multiselect", options: apiKeyScopeValues.map((s) => ({ value: s, label: s })) },
          { name: "rateLimitPerMinute", label: "Requests per minute", type: "number", nullable: true, hint: `Empty = default (${defaultRateLimit})` },
          { name: "source", label: "Source", hint: "Idempotency namespace; keep it when rotating a key. Empty = new one" },
          { name: "allowedAgents", label: "Only these agents", type: "tags", hint: "Agent keys, comma-separated. Empty = any agent" },
          { name: "allowedDepartments", label: "Only these departments", type: "tags", hint: "Department codes (the event's, else its agent's default). Empty = any" },
          { name: "allowedCustomers", label: "Only these customers", type: "tags", hint: "Customer keys. Empty = any customer" },
          { name: "maxCostPerEvent", label: "Cost ceiling per event", type: "decimal", nullable: true, hint: "Events costing more (given or computed) are rejected. Empty = none" },
          { name: "mayCreateEntities", label: "May create unknown agents and customers", type: "checkbox" },
          { name: "mayWriteFinalized", label: "May write into finalized billing periods (as late adjustments)", type: "checkbox" },
          {
            name: "usageSource",
            label: "OTLP usage from",
            type: "select",
            options: usageSourceValues.map((v) => ({ value: v, label: v === "traces" ? "traces (spans)" : "metrics (gen_ai.client.token.usage)" })),
            hint: "A source that exports both counts once: the other signal is accepted and not counted",
          },
        ]}
        submitLabel="Create key"
        onSubmit={async (body) => {
          const result = await mutate.mutateAsync({ method: "POST", body });
          setCreated({ name: result.key.name, secret: result.secret, allows: keyAllows(result.key) });
        }}
      />
      {list.isError ? (
        <ErrorState error={list.error} />
      ) : (
        <DataTable
          title="API keys"
          heading={false}
          columns={columns}
          rows={list.data ?? []}
          rowKey={(k) => String(k.id)}
          loading={list.isPending}
          empty="No API keys yet."
          pageSize={50}
          csvName="api-keys.csv"
        />
      )}
    </div>
  );
}
