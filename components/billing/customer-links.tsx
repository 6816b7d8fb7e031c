"use client";
// Read-only view links of one customer (finance/admin): create one (its URL is shown once), list, revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Field, Input } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { CustomerLinkDto } from "@/lib/billing/customer-link-schemas";

const linkKeys = { list: (customerId: number) => ["customer-links", customerId] as const };

export function CustomerLinks({ customerId }: { customerId: number }) {
  const hydrated = useHydrated();
  const confirm = useConfirm();
  const client = useQueryClient();
  const [days, setDays] = useState(30);
  const [note, setNote] = useState("");
  const base = `/api/v1/customers/${customerId}/links`;
  const query = useQuery({ queryKey: linkKeys.list(customerId), queryFn: ({ signal }) => apiFetch<{ links: CustomerLinkDto[] }>(base, { signal }) });
  const refresh = () => client.invalidateQueries({ queryKey: linkKeys.list(customerId) });
  const create = useMutation({
    mutationFn: () => apiFetch<CustomerLinkDto & { path: string }>(base, { method: "POST", body: JSON.stringify({ expiresInDays: days, ...(note.trim() ? { note: note.trim() } : {}) }) }),
    meta: { success: "Link created: copy it now, it is not shown again" },
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: (id: number) => apiFetch<CustomerLinkDto>(`${base}/${id}`, { method: "DELETE" }),
    meta: { success: "Link revoked" },
    onSuccess: refresh,
  });

  const columns: Column<CustomerLinkDto>[] = [
    { id: "prefix", header: "Link", value: (l) => `${l.prefix}…` },
    { id: "note", header: "For", value: (l) => l.note },
    { id: "status", header: "Status", value: (l) => l.status },
    { id: "expiresAt", header: "Expires", type: "datetime", value: (l) => l.expiresAt },
    { id: "lastUsedAt", header: "Last opened", type: "datetime", value: (l) => l.lastUsedAt },
    {
      id: "revoke",
      header: "",
      csv: false,
      cell: (l) =>
        l.status === "active" && (
          <Button
            variant="danger-link"
            size="sm"
            disabled={!hydrated || revoke.isPending}
            onClick={async () => {
              if (await confirm({ title: "Revoke this link?", description: "Whoever has it loses access at once.", confirmLabel: "Revoke", tone: "danger" })) revoke.mutate(l.id);
            }}
          >
            Revoke
          </Button>
        ),
    },
  ];
  const url = create.data && typeof window !== "undefined" ? `${window.location.origin}${create.data.path}` : null;

  return (
    <Card aria-label="Customer view links">
      <CardHeader>
        <CardTitle>Customer view links</CardTitle>
        <CardDescription>A read-only link to this customer&apos;s finalized invoices and usage to date, without an account. It expires (at most 90 days) and can be revoked.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Field label="Expires in (days)">
            <Input type="number" min={1} max={90} value={days} onChange={(e) => setDays(Number(e.target.value))} className="w-28" />
          </Field>
          <Field label="For (optional)">
            <Input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <Button type="submit" disabled={!hydrated || create.isPending}>Create link</Button>
        </form>
        {url && (
          <p role="status" className="text-sm">
            New link (shown once): <code data-testid="customer-link-url" className="break-all">{url}</code>
          </p>
        )}
        {query.isError ? (
          <ErrorState error={query.error} />
        ) : (
          <DataTable title="Links" heading={false} columns={columns} rows={query.data?.links ?? []} rowKey={(l) => String(l.id)} loading={query.isPending} empty="No links yet." />
        )}
      </CardContent>
    </Card>
  );
}
