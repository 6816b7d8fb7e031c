"use client";
// A resource's admin screen: a create form, a table, and an edit form for the selected row.
import { useState } from "react";
import type { ZodType } from "zod";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState } from "@/components/ui/states";
import { EntityForm, type Field, type Values } from "./entity-form";
import { useList, useMutate, type Resource } from "./queries";

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
  filter,
  title,
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
  /** Only these rows of the list (e.g. one scope of budget limits). */
  filter?: (row: T) => boolean;
  /** The table's title; default the noun in the plural. */
  title?: string;
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
      {list.isError ? (
        <ErrorState error={list.error} />
      ) : (
        <DataTable
          title={title ?? `${noun[0]!.toUpperCase()}${noun.slice(1)}s`}
          heading={false}
          columns={[
            ...columns,
            {
              id: "actions",
              header: "Actions",
              csv: false,
              cell: (row) => (
                <span className="space-x-2 whitespace-nowrap">
                  {editFields && (
                    <Button variant="link" size="sm" onClick={() => setEditing(row)}>
                      Edit
                    </Button>
                  )}
                  {actions?.(row)}
                </span>
              ),
            },
          ]}
          rows={(filter ? list.data?.filter(filter) : list.data) ?? []}
          rowKey={(row) => String(row.id)}
          loading={list.isPending}
          empty={`No ${noun}s yet.`}
          pageSize={50}
          csvName={`${resource}.csv`}
        />
      )}
    </div>
  );
}
