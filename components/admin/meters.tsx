"use client";
// Meters: usage events, or outcomes (tasks by type, who handled them, one agent, statuses), e.g. "cases resolved by
// an agent without escalation" = tasks · case_resolution · agent · [completed].
import { meterAggregations, meterCreate, meterSources, meterUpdate, taskHandlers, taskStatuses, type MeterView } from "@/lib/billing/meter-schemas";
import type { Field } from "./entity-form";
import { ResourceAdmin } from "./resource-admin";

const opts = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

export function MetersAdmin({ agents, taskTypes }: { agents: { key: string; name: string }[]; taskTypes: { key: string; name: string }[] }) {
  const fields: Field[] = [
    { name: "name", label: "Name" },
    { name: "unit", label: "Unit", hint: "e.g. case, action, token" },
    { name: "eventType", label: "Event type", nullable: true, hint: "Only events of this type (empty = any)" },
    { name: "aggregation", label: "Aggregation", type: "select", options: opts(meterAggregations) },
    { name: "property", label: "Property", nullable: true, hint: "sum_property, max, unique_count: a column (cost, duration_seconds…) or JSON property" },
    { name: "taskType", label: "Task type (tasks only)", type: "select", nullable: true, options: taskTypes.map((t) => ({ value: t.key, label: t.name })) },
    { name: "handledBy", label: "Handled by (tasks only)", type: "select", nullable: true, options: opts(taskHandlers), hint: "Empty = agent or human" },
    { name: "agent", label: "Agent (tasks only)", type: "select", nullable: true, options: agents.map((a) => ({ value: a.key, label: a.name })) },
    { name: "taskStatuses", label: "Statuses counted (tasks only)", type: "multiselect", options: opts(taskStatuses), hint: "None = any; completed only = without escalation or failure" },
  ];
  const filters = (m: MeterView) =>
    m.source === "tasks"
      ? [m.taskType ?? "any task", m.handledBy ?? "agent or human", m.agent, m.taskStatuses.length ? m.taskStatuses.join("/") : "any status"].filter(Boolean).join(" · ")
      : (m.eventType ?? "any event");
  return (
    <ResourceAdmin<MeterView>
      resource="meters"
      noun="meter"
      createSchema={meterCreate}
      createFields={[
        { name: "key", label: "Key" },
        { name: "source", label: "Counts", type: "select", options: opts(meterSources), hint: "events: usage events; tasks: outcomes" },
        ...fields,
      ]}
      editSchema={meterUpdate}
      editFields={fields}
      itemPath={(m) => m.key}
      columns={[
        { id: "key", header: "Key", value: (m) => m.key, cell: (m) => <code>{m.key}</code> },
        { id: "name", header: "Name", value: (m) => m.name },
        { id: "source", header: "Counts", value: (m) => (m.source === "tasks" ? "outcomes (tasks)" : "events") },
        { id: "filters", header: "Filters", value: filters },
        { id: "aggregation", header: "Aggregation", value: (m) => (m.property ? `${m.aggregation}(${m.property})` : m.aggregation) },
        { id: "unit", header: "Unit", value: (m) => m.unit },
      ]}
    />
  );
}
