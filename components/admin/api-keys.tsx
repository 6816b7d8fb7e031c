"use client";
// API keys: the secret appears once, right after creation; the list only ever shows the prefix.
import { useState } from "react";
import { apiKeyCreate, apiKeyScopeValues } from "@/lib/admin/schemas";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { EntityForm } from "./entity-form";
import { when } from "./format";
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
  const [created, setCreated] = useState<{ name: string; secret: string; allows: string } | null>(null);
  const confirm = useConfirm();

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
        ]}
        submitLabel="Create key"
        onSubmit={async (body) => {
          const result = await mutate.mutateAsync({ method: "POST", body });
          setCreated({ name: result.key.name, secret: result.secret, allows: keyAllows(result.key) });
        }}
      />
      {list.isPending ? (
        <Loading what="API keys" />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.length === 0 ? (
        <Empty message="No API keys yet." />
      ) : (
        <div tabIndex={0} className="overflow-x-auto rounded-card border border-border bg-surface focus-visible:outline-2 focus-visible:outline-ring">
          <table className="w-full text-sm" aria-label="API keys">
            <thead>
              <tr className="text-left text-slate-500">
                {["Name", "Key", "Source", "Scopes", "May write", "Limit/min", "Last used", "Created", "Status", ""].map((h) => (
                  <th key={h} className="px-3 py-2 font-normal">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.data.map((k) => (
                <tr key={k.id} className="border-t border-slate-100">
                  <td className="px-3 py-1.5">{k.name}</td>
                  <td className="px-3 py-1.5"><code>{k.prefix}…</code></td>
                  <td className="px-3 py-1.5"><code>{k.source}</code></td>
                  <td className="px-3 py-1.5">{k.scopes.join(", ")}</td>
                  <td className="px-3 py-1.5 text-xs text-slate-600">{keyAllows(k)}</td>
                  <td className="px-3 py-1.5 tabular-nums">{k.rateLimitPerMinute ?? `default`}</td>
                  <td className="px-3 py-1.5">{when(k.lastUsedAt)}</td>
                  <td className="px-3 py-1.5">{when(k.createdAt)}{k.createdBy ? ` by ${k.createdBy.email}` : ""}</td>
                  <td className="px-3 py-1.5">{k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active"}</td>
                  <td className="px-3 py-1.5 text-right">
                    {!k.revokedAt && (
                      <Button
                        variant="danger-link"
                        onClick={async () => {
                          if (await confirm({ title: `Revoke “${k.name}”?`, description: "Sources using it will be refused at once.", confirmLabel: "Revoke key" })) {
                            mutate.mutate({ method: "DELETE", path: k.id });
                          }
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
