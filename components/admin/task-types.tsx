"use client";
import { taskTypeCreate, taskTypeUpdate } from "@/lib/admin/schemas";
import type { Field } from "./entity-form";
import { ResourceAdmin } from "./resource-admin";

type TaskType = { id: number; key: string; name: string; baselineMinutes: string; loadedHourlyCost: string };

export function TaskTypesAdmin({ currency }: { currency: string }) {
  const fields: Field[] = [
    { name: "name", label: "Name" },
    { name: "baselineMinutes", label: "Human minutes per task", type: "decimal" },
    { name: "loadedHourlyCost", label: `Loaded hourly cost (${currency})`, type: "decimal" },
  ];
  return (
    <ResourceAdmin<TaskType>
      resource="task-types"
      noun="task type"
      createSchema={taskTypeCreate}
      createFields={[{ name: "key", label: "Key", hint: "The task_type events carry" }, ...fields]}
      editSchema={taskTypeUpdate}
      editFields={fields}
      columns={[
        { id: "key", header: "Key", value: (t) => t.key, cell: (t) => <code>{t.key}</code> },
        { id: "name", header: "Name", value: (t) => t.name },
        { id: "baselineMinutes", header: "Minutes per task", type: "number", digits: 2, value: (t) => t.baselineMinutes },
        { id: "loadedHourlyCost", header: "Hourly cost", type: "money", currency, value: (t) => t.loadedHourlyCost },
      ]}
    />
  );
}
