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
        { label: "Key", render: (a) => <code>{a.key}</code> },
        { label: "Name", render: (a) => a.name },
        { label: "Platform", render: (a) => a.platform },
        { label: "Model", render: (a) => a.model ?? "—" },
        { label: "Department", render: (a) => (a.departmentId ? byId.get(a.departmentId) ?? a.departmentId : "—") },
        { label: "Shared", render: (a) => (a.shared ? "yes" : "no") },
        { label: "Tags", render: (a) => a.tags.join(", ") },
        { label: "Status", render: (a) => a.status },
      ]}
    />
  );
}
