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
        { label: "Key", render: (t) => <code>{t.key}</code> },
        { label: "Name", render: (t) => t.name },
        { label: "Minutes per task", render: (t) => t.baselineMinutes },
        { label: `Hourly cost (${currency})`, render: (t) => t.loadedHourlyCost },
      ]}
    />
  );
}
