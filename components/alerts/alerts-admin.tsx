"use client";
// Thresholds per department (finance, admin), notification channels with a test send, and the delivery log (admin).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { SubscriptionsEditor } from "./subscriptions-editor";
import { ThresholdEditor } from "@/components/allocation/threshold-editor";
import { useDepartments } from "@/components/allocation/queries";
import { treeOrder } from "@/components/allocation/tree";
import { apiFieldErrors, fieldErrors, type FieldErrors } from "@/components/forms/field-errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import type { channelType, DeliveryView, WebhookView } from "@/lib/alerts/schemas";
import type { DepartmentResponse } from "@/lib/allocation/schemas";
import { z } from "zod";

const keys = {
  channels: ["alert-channels"] as const,
  deliveries: (channel: number | null) => ["alert-deliveries", channel] as const,
};

const channelUrl = z.object({ url: z.url("must be a URL such as https://hooks.example.com/agentledger") });
const channelEmail = z.object({ to: z.email("must be an email address such as finance@example.com") });

type ChannelType = z.infer<typeof channelType>;
const CHANNEL_TYPES: { value: ChannelType; label: string; placeholder: string }[] = [
  { value: "webhook", label: "Webhook (signed JSON POST)", placeholder: "https://hooks.example.com/agentledger" },
  { value: "slack", label: "Slack (incoming webhook)", placeholder: "https://hooks.slack.com/services/…" },
  { value: "teams", label: "Microsoft Teams (workflow webhook)", placeholder: "https://….logic.azure.com/workflows/…" },
  { value: "email", label: "Email", placeholder: "finance@example.com" },
];

export function AlertsAdmin({ isAdmin, currency }: { isAdmin: boolean; currency: string }) {
  return (
    <div className="space-y-6">
      <Thresholds currency={currency} />
      {isAdmin && <Channels />}
    </div>
  );
}

function Thresholds({ currency }: { currency: string }) {
  const departments = useDepartments();
  const [editing, setEditing] = useState<string | null>(null);
  const rows = treeOrder((departments.data?.departments ?? []).filter((d) => !d.archived));
  const current = departments.data?.departments.find((d) => d.code === editing) ?? null;
  const columns: Column<{ department: DepartmentResponse; depth: number }>[] = [
    {
      id: "department",
      header: "Department",
      value: (r) => `${r.department.name} ${r.department.code}`,
      cell: (r) => <span style={{ paddingLeft: `${r.depth * 1.25}rem` }}>{r.department.name} <span className="font-mono text-xs text-muted-foreground">{r.department.code}</span></span>,
    },
    { id: "budget", header: "Monthly budget", type: "money", currency, value: (r) => r.department.monthlyBudget },
    {
      id: "ladder",
      header: "Alerts at",
      value: (r) => (r.department.thresholds.length ? r.department.thresholds.map((t) => `${t.percent}% of ${t.basis}`).join(", ") : "default: 50/70/80/85/90/95/100% of spend, 100% of forecast"),
    },
    {
      id: "actions",
      header: "Actions",
      csv: false,
      cell: (r) => <Button variant="link" onClick={() => setEditing(r.department.code)} aria-label={`Edit thresholds of ${r.department.code}`}>Edit</Button>,
    },
  ];
  return (
    <>
      {departments.isError ? (
        <ErrorState error={departments.error} />
      ) : (
        <DataTable
          title="Budget thresholds"
          description="An alert opens when a department's spend (or its month-end forecast) reaches a step of its ladder, for the current and the previous month."
          columns={columns}
          rows={rows}
          rowKey={(r) => r.department.code}
          loading={departments.isPending}
          pageSize={100}
          csvName="budget-thresholds.csv"
          empty="No departments yet."
        />
      )}
      <Dialog open={current !== null} onOpenChange={(open) => !open && setEditing(null)}>
        {current && (
          <DialogContent title={`Budget and thresholds: ${current.name}`}>
            <ThresholdEditor department={current} currency={currency} />
          </DialogContent>
        )}
      </Dialog>
    </>
  );
}

function useChannels() {
  return useQuery({ queryKey: keys.channels, queryFn: ({ signal }) => apiFetch<{ webhooks: WebhookView[] }>("/api/v1/alerts/webhooks", { signal }).then((r) => r.webhooks) });
}

function useDeliveries(channel: number | null) {
  return useQuery({
    queryKey: keys.deliveries(channel),
    queryFn: ({ signal }) => apiFetch<{ deliveries: DeliveryView[] }>(`/api/v1/alerts/deliveries?limit=200${channel ? `&channel=${channel}` : ""}`, { signal }).then((r) => r.deliveries),
  });
}

function Channels() {
  const client = useQueryClient();
  const channels = useChannels();
  const [adding, setAdding] = useState(false);
  const [logOf, setLogOf] = useState<number | null>(null);
  const [subscriptionsOf, setSubscriptionsOf] = useState<WebhookView | null>(null);
  const confirm = useConfirm();
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: keys.channels }), client.invalidateQueries({ queryKey: ["alert-deliveries"] })]);
  const test = useMutation({
    mutationFn: (id: number) => apiFetch<DeliveryView>(`/api/v1/alerts/webhooks/${id}/test`, { method: "POST" }),
    meta: { error: "Could not send the test" },
    onSuccess: (d) => {
      if (d.status === "delivered") toast.success("Test delivered", d.responseStatus === null ? "accepted by the mail server" : `HTTP ${d.responseStatus}`);
      else toast.error("Test not delivered", d.lastError ?? d.status);
      return refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (w: WebhookView) => apiFetch<WebhookView>(`/api/v1/alerts/webhooks/${w.id}`, { method: "PATCH", body: JSON.stringify({ active: !w.active }) }),
    meta: { error: "Could not change the channel" },
    onSuccess: (w) => {
      toast.success(w.active ? "Channel resumed" : "Channel paused", w.url);
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => fetch(`/api/v1/alerts/webhooks/${id}`, { method: "DELETE" }).then((r) => { if (!r.ok) throw new Error(`Delete failed (${r.status})`); }),
    meta: { success: "Channel deleted", error: "Could not delete the channel" },
    onSuccess: refresh,
  });
  const columns: Column<WebhookView>[] = [
    { id: "type", header: "Type", value: (w) => w.type },
    { id: "url", header: "Destination", value: (w) => w.url },
    { id: "active", header: "Status", value: (w) => (w.active ? "active" : "paused"), cell: (w) => <Badge tone={w.active ? "success" : "neutral"}>{w.active ? "active" : "paused"}</Badge> },
    { id: "created", header: "Added", type: "datetime", value: (w) => w.createdAt },
    {
      id: "actions",
      header: "Actions",
      csv: false,
      cell: (w) => (
        <span className="flex gap-3">
          <Button variant="link" disabled={test.isPending} onClick={() => test.mutate(w.id)} aria-label={`Send test to ${w.url}`}>Send test</Button>
          <Button variant="link" onClick={() => setSubscriptionsOf(w)} aria-label={`Subscriptions of ${w.url}`}>Subscriptions</Button>
          <Button variant="link" onClick={() => setLogOf(logOf === w.id ? null : w.id)} >
            {logOf === w.id ? "All deliveries" : "Deliveries"}
            <span className="sr-only"> of {w.url}</span>
          </Button>
          <Button variant="link" disabled={toggle.isPending} onClick={() => toggle.mutate(w)} aria-label={`${w.active ? "Pause" : "Resume"} ${w.url}`}>
            {w.active ? "Pause" : "Resume"}
          </Button>
          <Button
            variant="danger-link"
            aria-label={`Delete ${w.url}`}
            onClick={async () => {
              if (await confirm({ title: "Delete this channel?", description: `${w.url} stops receiving alerts; its pending deliveries are dropped.`, confirmLabel: "Delete channel", tone: "danger" })) remove.mutate(w.id);
            }}
          >
            Delete
          </Button>
        </span>
      ),
    },
  ];
  return (
    <>
      {channels.isError ? (
        <ErrorState error={channels.error} />
      ) : (
        <DataTable
          title="Channels"
          description="Where alert changes are sent: signed JSON webhooks (X-AgentLedger-Signature), Slack, Teams or email. Failures from 5xx or timeouts are retried with backoff."
          actions={<Button onClick={() => setAdding(true)}>Add channel</Button>}
          columns={columns}
          rows={channels.data ?? []}
          rowKey={(w) => String(w.id)}
          loading={channels.isPending}
          empty="No channels: alerts show in the app only."
        />
      )}
      <DeliveryLog channel={logOf} channels={channels.data ?? []} />
      <Dialog open={subscriptionsOf !== null} onOpenChange={(open) => !open && setSubscriptionsOf(null)}>
        {subscriptionsOf && (
          <DialogContent title={`What ${subscriptionsOf.url} receives`}>
            <SubscriptionsEditor url={`/api/v1/alerts/webhooks/${subscriptionsOf.id}/subscriptions`} queryKey={["channel-subscriptions", subscriptionsOf.id]} title="Subscriptions" />
          </DialogContent>
        )}
      </Dialog>
      <Dialog open={adding} onOpenChange={setAdding}>
        <DialogContent title="Add a channel">
          <AddChannel onAdded={refresh} />
        </DialogContent>
      </Dialog>
    </>
  );
}

function AddChannel({ onAdded }: { onAdded: () => Promise<unknown> }) {
  const [type, setType] = useState<ChannelType>("webhook");
  const [target, setTarget] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: { type: ChannelType; url: string } | { type: "email"; to: string }) =>
      apiFetch<WebhookView & { secret?: string }>("/api/v1/alerts/webhooks", { method: "POST", body: JSON.stringify(body) }),
    meta: { success: "Channel added" },
    onSuccess: onAdded,
  });
  if (create.data) {
    return create.data.secret ? (
      <Card>
        <CardHeader><CardTitle>Signing secret</CardTitle></CardHeader>
        <CardDescription>Shown once: store it where the receiver verifies signatures.</CardDescription>
        <code data-testid="channel-secret" className="mt-2 block break-all rounded-control bg-surface-muted p-2 text-xs">{create.data.secret}</code>
      </Card>
    ) : (
      <p className="text-sm">Channel added: <code data-testid="channel-added">{create.data.url}</code>. Use Send test to check it.</p>
    );
  }
  const shown = { ...apiFieldErrors(create.error), ...errors };
  const email = type === "email";
  const placeholder = CHANNEL_TYPES.find((t) => t.value === type)!.placeholder;
  return (
    <form
      aria-label="Add a channel"
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const value = email ? { type, to: target.trim() } : { type, url: target.trim() };
        // The address policy (lib/net/outbound) runs on the server; its 400 names the field like this check does.
        const found = email ? fieldErrors(channelEmail, value) : fieldErrors(channelUrl, value);
        setErrors(found);
        if (Object.keys(found).length === 0) create.mutate(value as Parameters<typeof create.mutate>[0]);
      }}
    >
      <Field label="Type" hint={type === "slack" || type === "teams" ? "The URL is a secret: it is stored encrypted and shown cut short." : undefined}>
        <Select value={type} onChange={(e) => { setType(e.target.value as ChannelType); setErrors({}); }}>
          {CHANNEL_TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
        </Select>
      </Field>
      {email ? (
        <Field label="Email address" error={shown.to}>
          <Input type="email" value={target} onChange={(e) => setTarget(e.target.value)} placeholder={placeholder} />
        </Field>
      ) : (
        <Field label="URL" error={shown.url}>
          <Input value={target} onChange={(e) => setTarget(e.target.value)} placeholder={placeholder} />
        </Field>
      )}
      <div className="flex justify-end"><Button type="submit" disabled={create.isPending}>Add channel</Button></div>
    </form>
  );
}

const STATUS_TONE = { delivered: "success", failed: "danger", pending: "warning" } as const;

function DeliveryLog({ channel, channels }: { channel: number | null; channels: WebhookView[] }) {
  const deliveries = useDeliveries(channel);
  const url = channels.find((c) => c.id === channel)?.url;
  const columns: Column<DeliveryView>[] = [
    { id: "created", header: "Queued", type: "datetime", value: (d) => d.createdAt },
    { id: "channel", header: "Channel", value: (d) => d.channel.url },
    { id: "event", header: "Event", value: (d) => d.event },
    { id: "status", header: "Status", value: (d) => d.status, cell: (d) => <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge> },
    { id: "attempts", header: "Attempts", type: "number", value: (d) => d.attempts },
    { id: "response", header: "Response", value: (d) => (d.responseStatus === null ? null : String(d.responseStatus)) },
    { id: "error", header: "Last error", value: (d) => d.lastError },
    { id: "next", header: "Next attempt", type: "datetime", value: (d) => d.nextAttemptAt },
  ];
  if (deliveries.isError) return <ErrorState error={deliveries.error} />;
  return (
    <DataTable
      title={url ? `Delivery log: ${url}` : "Delivery log"}
      columns={columns}
      rows={deliveries.data ?? []}
      rowKey={(d) => String(d.id)}
      loading={deliveries.isPending}
      csvName="deliveries.csv"
      empty="Nothing sent yet."
    />
  );
}
