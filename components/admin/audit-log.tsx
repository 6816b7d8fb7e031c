"use client";
// Audit log viewer: filters in the URL-free local state, newest first, "Load more" pages by id.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { when } from "./format";
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
      {query.isPending ? (
        <Loading what="audit log" />
      ) : query.isError ? (
        <ErrorState error={query.error} />
      ) : rows.length === 0 ? (
        <Empty message="No matching entries." />
      ) : (
        <div tabIndex={0} className="overflow-x-auto rounded-card border border-border bg-surface focus-visible:outline-2 focus-visible:outline-ring">
          <table className="w-full text-sm" aria-label="Audit log">
            <thead>
              <tr className="text-left text-slate-500">
                {["When", "Who", "Action", "Entity", "Change"].map((h) => (
                  <th key={h} className="px-3 py-2 font-normal">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100 align-top">
                  <td className="whitespace-nowrap px-3 py-1.5">{when(r.at)}</td>
                  <td className="px-3 py-1.5">{r.actor}</td>
                  <td className="px-3 py-1.5"><code>{r.action}</code></td>
                  <td className="px-3 py-1.5">{r.entity}{r.entityId ? ` #${r.entityId}` : ""}</td>
                  <td className="px-3 py-1.5">
                    <details>
                      <summary className="cursor-pointer text-indigo-700">before → after</summary>
                      <div className="grid grid-cols-2 gap-2 text-xs">
                        <pre className="overflow-x-auto rounded bg-slate-50 p-2">{JSON.stringify(r.before, null, 2) ?? "—"}</pre>
                        <pre className="overflow-x-auto rounded bg-slate-50 p-2">{JSON.stringify(r.after, null, 2) ?? "—"}</pre>
                      </div>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <Button variant="secondary" size="sm" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      )}
    </div>
  );
}
