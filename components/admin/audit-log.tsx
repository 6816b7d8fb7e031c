"use client";
// Audit log viewer: filters in the URL-free local state, newest first, "Load more" pages by id.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState } from "@/components/ui/states";
import { adminKeys } from "./queries";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { cardClass } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";

type Entry = { id: string; at: string; actor: string; action: string; entity: string; entityId: string | null; before: unknown; after: unknown };
type Page = { items: Entry[]; nextBefore: string | null };

const filterFields = [
  { name: "actor", label: "Actor" },
  { name: "action", label: "Action", placeholder: "e.g. invoice." },
  { name: "entity", label: "Entity" },
  { name: "entityId", label: "Entity id" },
  { name: "from", label: "From", type: "date" },
  { name: "to", label: "Before", type: "date" },
] as const;

function toParams(filters: Record<string, string>, before?: string) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) {
    if (!v) continue;
    params.set(k, k === "from" || k === "to" ? new Date(`${v}T00:00:00`).toISOString() : v);
  }
  if (before) params.set("before", before);
  return params.toString();
}

export function AuditLogViewer() {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const query = useInfiniteQuery({
    queryKey: adminKeys.audit(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => apiFetch<Page>(`/api/v1/audit-logs?${toParams(filters, pageParam)}`, { signal }),
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const json = (v: unknown) => JSON.stringify(v) ?? "";
  const columns: Column<Entry>[] = [
    { id: "at", header: "When", type: "datetime", value: (r) => r.at },
    { id: "actor", header: "Who", value: (r) => r.actor },
    { id: "action", header: "Action", value: (r) => r.action, cell: (r) => <code>{r.action}</code> },
    { id: "entity", header: "Entity", value: (r) => `${r.entity}${r.entityId ? ` #${r.entityId}` : ""}` },
    {
      id: "change",
      header: "Change",
      value: (r) => `${json(r.before)} → ${json(r.after)}`,
      cell: (r) => (
        <details>
          <summary className="cursor-pointer text-accent-foreground">before → after</summary>
          <div className="grid grid-cols-2 gap-2 text-xs">
            <pre className="overflow-x-auto rounded bg-surface-muted p-2">{JSON.stringify(r.before, null, 2) ?? "—"}</pre>
            <pre className="overflow-x-auto rounded bg-surface-muted p-2">{JSON.stringify(r.after, null, 2) ?? "—"}</pre>
          </div>
        </details>
      ),
    },
  ];

  return (
    <div className="space-y-4">
      <form
        aria-label="Audit log filters"
        className={cn(cardClass, "flex flex-wrap items-end gap-2 p-3")}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(Object.fromEntries(Array.from(new FormData(e.currentTarget), ([k, v]) => [k, String(v).trim()])));
        }}
      >
        {filterFields.map((f) => (
          <label key={f.name} className="text-xs text-muted-foreground">
            {f.label}
            <Input name={f.name} type={"type" in f ? f.type : "text"} placeholder={"placeholder" in f ? f.placeholder : undefined} className="mt-1 block" />
          </label>
        ))}
        <Button size="sm" type="submit">Filter</Button>
      </form>
      {query.isError ? (
        <ErrorState error={query.error} />
      ) : (
        <DataTable
          title="Audit log"
          heading={false}
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          loading={query.isPending}
          empty="No matching entries."
          csvName="audit-log.csv"
          loadMore={{ hasMore: query.hasNextPage, loading: query.isFetchingNextPage, onMore: () => void query.fetchNextPage() }}
        />
      )}
    </div>
  );
}
