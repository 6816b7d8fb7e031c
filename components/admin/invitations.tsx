"use client";
// Invite by email (role defaults to viewer) → a signed, single-use link shown once to copy and pass on (no mail is
// configured yet); pending invitations can be re-sent (new link) or revoked.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { apiFieldErrors, fieldErrors, type FieldErrors } from "@/components/forms/field-errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import { invitationCreate, type InvitationCreated, type InvitationView } from "@/lib/admin/invitation-schemas";
import { roles } from "@/lib/admin/schemas";
import type { DepartmentOption } from "./format";

const key = ["invitations"] as const;
/** Least privilege first: the default. */
const ROLE_ORDER = ["viewer", "ops", "finance", "admin"] as const satisfies readonly (typeof roles)[number][];

export function Invitations({ departments, ssoConfigured }: { departments: DepartmentOption[]; ssoConfigured: boolean }) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => apiFetch<{ invitations: InvitationView[] }>("/api/v1/invitations", { signal }).then((r) => r.invitations) });
  const [inviting, setInviting] = useState(false);
  const [link, setLink] = useState<InvitationCreated | null>(null);
  const confirm = useConfirm();
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const resend = useMutation({
    mutationFn: (id: number) => apiFetch<InvitationCreated>(`/api/v1/invitations/${id}/resend`, { method: "POST" }),
    meta: { success: "New invitation link created", error: "Could not re-send" },
    onSuccess: async (created) => {
      setLink(created);
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => apiFetch<InvitationView>(`/api/v1/invitations/${id}`, { method: "DELETE" }),
    meta: { success: "Invitation revoked", error: "Could not revoke" },
    onSuccess: refresh,
  });
  const byId = new Map(departments.map((d) => [d.id, d.code]));
  const columns: Column<InvitationView>[] = [
    { id: "email", header: "Email", value: (i) => i.email },
    { id: "name", header: "Name", value: (i) => i.name },
    { id: "role", header: "Role", value: (i) => i.role },
    { id: "departments", header: "Departments", value: (i) => (i.departmentIds.length ? i.departmentIds.map((id) => byId.get(id) ?? id).join(", ") : "all") },
    { id: "status", header: "Status", value: (i) => i.status, cell: (i) => <Badge tone={i.status === "pending" ? "info" : "warning"}>{i.status}</Badge> },
    { id: "expires", header: "Expires", type: "datetime", value: (i) => i.expiresAt },
    { id: "by", header: "Invited by", value: (i) => i.invitedBy },
    {
      id: "actions",
      header: "Actions",
      csv: false,
      cell: (i) => (
        <span className="flex gap-3">
          <Button variant="link" disabled={resend.isPending} onClick={() => resend.mutate(i.id)} aria-label={`Re-send invitation to ${i.email}`}>Re-send</Button>
          <Button
            variant="danger-link"
            aria-label={`Revoke invitation to ${i.email}`}
            onClick={async () => {
              if (await confirm({ title: `Revoke the invitation to ${i.email}?`, description: "The link stops working.", confirmLabel: "Revoke invitation", tone: "danger" })) revoke.mutate(i.id);
            }}
          >
            Revoke
          </Button>
        </span>
      ),
    },
  ];
  return (
    <>
      {list.isError ? (
        <ErrorState error={list.error} />
      ) : (
        <DataTable
          title="Pending invitations"
          description="Links are single-use and expire after 7 days. No mail is configured: copy the link and pass it on."
          actions={<Button onClick={() => setInviting(true)}>Invite user</Button>}
          columns={columns}
          rows={list.data ?? []}
          rowKey={(i) => String(i.id)}
          loading={list.isPending}
          empty="No pending invitations."
        />
      )}
      <Dialog open={inviting} onOpenChange={(open) => { setInviting(open); if (!open) setLink(null); }}>
        <DialogContent title="Invite a user">
          {link ? <LinkCard created={link} /> : <InviteForm departments={departments} ssoConfigured={ssoConfigured} onCreated={async (c) => { setLink(c); await refresh(); }} />}
        </DialogContent>
      </Dialog>
      <Dialog open={link !== null && !inviting} onOpenChange={(open) => !open && setLink(null)}>
        {link && <DialogContent title="New invitation link"><LinkCard created={link} /></DialogContent>}
      </Dialog>
    </>
  );
}

function LinkCard({ created }: { created: InvitationCreated }) {
  return (
    <Card>
      <CardHeader><CardTitle>Invitation link for {created.email}</CardTitle></CardHeader>
      <CardDescription>Shown once. It works once, until {new Date(created.expiresAt).toLocaleString()}.</CardDescription>
      <Input readOnly aria-label="Invitation link" data-testid="invitation-link" value={created.link} className="mt-2 w-full" onFocus={(e) => e.currentTarget.select()} />
      <Button variant="secondary" size="sm" className="mt-2" onClick={() => navigator.clipboard?.writeText(created.link)}>Copy link</Button>
    </Card>
  );
}

function InviteForm({ departments, ssoConfigured, onCreated }: { departments: DepartmentOption[]; ssoConfigured: boolean; onCreated: (c: InvitationCreated) => Promise<void> }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: unknown) => apiFetch<InvitationCreated>("/api/v1/invitations", { method: "POST", body: JSON.stringify(body) }),
    meta: { success: "Invitation created", error: "Could not invite" },
    onSuccess: onCreated,
  });
  const shown = { ...apiFieldErrors(create.error), ...errors };
  return (
    <form
      aria-label="Invite a user"
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const value = { email: String(f.get("email") ?? "").trim(), name: String(f.get("name") ?? "").trim(), role: String(f.get("role")), departmentIds: f.getAll("departmentIds").map(Number) };
        const found = fieldErrors(invitationCreate, value);
        setErrors(found);
        if (Object.keys(found).length === 0) create.mutate(value);
      }}
    >
      <Field label="Email" error={shown.email}><Input name="email" type="email" /></Field>
      <Field label="Name" error={shown.name}><Input name="name" /></Field>
      <Field label="Role" error={shown.role} hint="Viewer unless they need more.">
        <Select name="role" defaultValue="viewer">{ROLE_ORDER.map((r) => <option key={r} value={r}>{r}</option>)}</Select>
      </Field>
      <Field label="Department scope" error={shown.departmentIds} hint="None selected = all departments">
        <Select name="departmentIds" multiple className="h-28">{departments.map((d) => <option key={d.id} value={d.id}>{`${d.code} — ${d.name}`}</option>)}</Select>
      </Field>
      <p className="text-xs text-muted-foreground">
        They set a password from the link{ssoConfigured ? "; they can also sign in with single sign-on using this email" : ""}.
      </p>
      <div className="flex justify-end"><Button type="submit" disabled={create.isPending}>Create invitation link</Button></div>
    </form>
  );
}
