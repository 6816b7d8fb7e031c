"use client";
// A resource's admin screen: a create form, a table, and an edit form for the selected row.
import { useState } from "react";
import type { ZodType } from "zod";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { EntityForm, type Field, type Values } from "./entity-form";
import { useList, useMutate, type Resource } from "./queries";
import { Button } from "@/components/ui/button";

export type Column<T> = { label: string; render: (row: T) => React.ReactNode };

export function ResourceAdmin<T extends { id: number; key?: string }>({
  resource,
  noun,
  columns,
  createFields,
  createSchema,
  editFields,
  editSchema,
  actions,
  confirmEdit,
  itemPath = (row) => row.id,
}: {
  resource: Resource;
  noun: string;
  columns: Column<T>[];
  createFields: Field[];
  createSchema: ZodType;
  editFields?: Field[];
  editSchema?: ZodType;
  actions?: (row: T) => React.ReactNode;
  /** Asked before an edit is saved (e.g. a warning about what it changes); false keeps the form open. */
  confirmEdit?: (row: T, body: Values) => Promise<boolean>;
  /** How the API addresses one row (most resources by id, agents by key). */
  itemPath?: (row: T) => string | number;
}) {
  const list = useList<T>(resource);
  const mutate = useMutate(resource);
  const [editing, setEditing] = useState<T | null>(null);

  return (
    <div className="space-y-6">
      {editing && editFields && editSchema ? (
        <EntityForm
          key={editing.id}
          title={`Edit ${noun}`}
          fields={editFields}
          schema={editSchema}
          initial={editing as unknown as Values}
          submitLabel="Save changes"
          onCancel={() => setEditing(null)}
          onSubmit={async (body) => {
            if (confirmEdit && !(await confirmEdit(editing, body))) return;
            await mutate.mutateAsync({ method: "PATCH", path: encodeURIComponent(itemPath(editing)), body });
            setEditing(null);
          }}
        />
      ) : (
        <EntityForm title={`New ${noun}`} fields={createFields} schema={createSchema} submitLabel={`Create ${noun}`} onSubmit={(body) => mutate.mutateAsync({ method: "POST", body })} />
      )}
      {list.isPending ? (
        <Loading what={`${noun}s`} />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.length === 0 ? (
        <Empty message={`No ${noun}s yet.`} />
      ) : (
        <div tabIndex={0} className="overflow-x-auto rounded-card border border-border bg-surface focus-visible:outline-2 focus-visible:outline-ring">
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-slate-500">
                {columns.map((c) => (
                  <th key={c.label} className="px-3 py-2 font-normal">{c.label}</th>
                ))}
                <th className="px-3 py-2 font-normal"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((row) => (
                <tr key={row.id} className="border-t border-slate-100">
                  {columns.map((c) => (
                    <td key={c.label} className="px-3 py-1.5">{c.render(row)}</td>
                  ))}
                  <td className="space-x-2 whitespace-nowrap px-3 py-1.5 text-right">
                    {editFields && (
                      <Button variant="link" onClick={() => setEditing(row)}>Edit</Button>
                    )}
                    {actions?.(row)}
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
