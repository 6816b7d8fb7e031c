"use client";
import * as AlertDialog from "@radix-ui/react-alert-dialog";
import Link from "next/link";
import { useShareImpact } from "@/components/allocation/queries";
import { useConfirm } from "@/components/ui/confirm";
import { formatMoney } from "@/lib/format";
import { agentBillingModes, agentCreate, agentStatuses, agentUpdate } from "@/lib/admin/schemas";
import type { Field } from "./entity-form";
import { departmentOptions, type DepartmentOption } from "./format";
import { ResourceAdmin } from "./resource-admin";

type Agent = { id: number; key: string; name: string; platform: string; model: string | null; departmentId: number | null; shared: boolean; tags: string[]; status: string; billingMode: string | null };

/**
 * Marking an agent shared moves its cost off its department in every open month until a rule covers it (closed months
 * keep theirs and get an adjustment in the next open month): say which months, and offer to write the rule first.
 */
function useConfirmShared() {
  const confirm = useConfirm();
  const impact = useShareImpact();
  return async (agent: Agent, body: Record<string, unknown>) => {
    if (agent.shared || body.shared !== true) return true;
    const { months, rules } = await impact.mutateAsync(agent.key);
    if (months.length === 0 || rules > 0) return true;
    const open = months.filter((m) => !m.closed);
    const closed = months.filter((m) => m.closed);
    return confirm({
      title: `Mark ${agent.name} shared without a rule?`,
      description: (
        <span className="space-y-2" data-testid="share-warning">
          <span className="block">
            Its cost becomes unallocated until a rule splits it. Open months that change:{" "}
            {open.length ? open.map((m) => `${m.period} (${formatMoney(m.cost)})`).join(", ") : "none"}.
            {closed.length > 0 && ` Closed months keep their figures; ${closed.map((m) => m.period).join(", ")} reach the next open month as adjustments.`}
          </span>
          {/* Cancel closes the dialog (the agent stays as it was) while the link opens the rules editor. */}
          <AlertDialog.Cancel asChild>
            <Link className="block text-accent-foreground underline" href={`/allocation/rules?agent=${encodeURIComponent(agent.key)}&from=${months[0]!.period}-01`}>
              Create the rule first
            </Link>
          </AlertDialog.Cancel>
        </span>
      ),
      confirmLabel: "Mark shared anyway",
      tone: "danger",
    });
  };
}

export function AgentsAdmin({ departments }: { departments: DepartmentOption[] }) {
  const confirmShared = useConfirmShared();
  const byId = new Map(departments.map((d) => [d.id, d.code]));
  const fields: Field[] = [
    { name: "name", label: "Name" },
    { name: "platform", label: "Platform", hint: "e.g. agentforce, openai, custom" },
    { name: "model", label: "Model", nullable: true },
    { name: "departmentId", label: "Default department", type: "select", nullable: true, options: departmentOptions(departments) },
    { name: "status", label: "Status", type: "select", options: agentStatuses.map((s) => ({ value: s, label: s })) },
    { name: "billingMode", label: "Billed by its platform", type: "select", nullable: true, options: agentBillingModes.map((m) => ({ value: m, label: `per ${m}` })), hint: "Agentforce: action- or outcome-based" },
    { name: "tags", label: "Tags", type: "tags", hint: "Comma-separated" },
    { name: "shared", label: "Shared across departments", type: "checkbox" },
  ];
  return (
    <ResourceAdmin<Agent>
      resource="agents"
      noun="agent"
      itemPath={(a) => a.key}
      confirmEdit={confirmShared}
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
        { id: "billingMode", header: "Billed per", value: (a) => a.billingMode },
      ]}
    />
  );
}
