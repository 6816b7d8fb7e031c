"use client";
import { agentCreate, agentStatuses, agentUpdate } from "@/lib/admin/schemas";
import type { Field } from "./entity-form";
import { departmentOptions, type DepartmentOption } from "./format";
import { ResourceAdmin } from "./resource-admin";

type Agent = { id: number; key: string; name: string; platform: string; model: string | null; departmentId: number | null; shared: boolean; tags: string[]; status: string };

export function AgentsAdmin({ departments }: { departments: DepartmentOption[] }) {
  const byId = new Map(departments.map((d) => [d.id, d.code]));
  const fields: Field[] = [
    { name: "name", label: "Name" },
    { name: "platform", label: "Platform", hint: "e.g. agentforce, openai, custom" },
    { name: "model", label: "Model", nullable: true },
    { name: "departmentId", label: "Default department", type: "select", nullable: true, options: departmentOptions(departments) },
    { name: "status", label: "Status", type: "select", options: agentStatuses.map((s) => ({ value: s, label: s })) },
    { name: "tags", label: "Tags", type: "tags", hint: "Comma-separated" },
    { name: "shared", label: "Shared across departments", type: "checkbox" },
  ];
  return (
    <ResourceAdmin<Agent>
      resource="agents"
      noun="agent"
      itemPath={(a) => a.key}
      createSchema={agentCreate}
      createFields={[{ name: "key", label: "Key", hint: "Sent by sources in events; cannot change later" }, ...fields]}
      editSchema={agentUpdate}
      editFields={fields}
      columns={[
        { id: "key", header: "Key", value: (a) => a.key, cell: (a) => <code>{a.key}</code> },
        { id: "name", header: "Name", value: (a) => a.name },
        { id: "platform", header: "Platform", value: (a) => a.platform },
        { id: "model", header: "Model", value: (a) => a.model },
        { id: "department", header: "Department", value: (a) => (a.departmentId ? (byId.get(a.departmentId) ?? String(a.departmentId)) : null) },
        { id: "shared", header: "Shared", value: (a) => (a.shared ? "yes" : "no") },
        { id: "tags", header: "Tags", value: (a) => a.tags.join(", ") },
        { id: "status", header: "Status", value: (a) => a.status },
      ]}
    />
  );
}
