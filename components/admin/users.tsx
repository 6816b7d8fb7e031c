"use client";
import { roles, userCreate, userUpdate } from "@/lib/admin/schemas";
import type { Field } from "./entity-form";
import { departmentOptions, when, type DepartmentOption } from "./format";
import { useMutate } from "./queries";
import { ResourceAdmin } from "./resource-admin";

type User = {
  id: number;
  email: string;
  name: string;
  role: string;
  active: boolean;
  passwordLogin: boolean;
  departmentIds: number[];
  lastLoginAt: string | null;
  lockedUntil: string | null;
  twoFactor: boolean;
};

export function UsersAdmin({ departments }: { departments: DepartmentOption[] }) {
  const roleOptions = roles.map((r) => ({ value: r, label: r }));
  const scope: Field = {
    name: "departmentIds",
    label: "Department scope",
    type: "multiselect",
    options: departmentOptions(departments),
    hint: "None selected = all departments",
  };
  const byId = new Map(departments.map((d) => [d.id, d.code]));
  const status = (u: User) =>
    !u.active ? "deactivated" : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? "locked" : !u.lastLoginAt ? "invited" : "active";
  return (
    <ResourceAdmin<User>
      resource="users"
      noun="user"
      createSchema={userCreate}
      createFields={[
        { name: "email", label: "Email", type: "email" },
        { name: "name", label: "Name" },
        { name: "role", label: "Role", type: "select", options: roleOptions },
        scope,
        { name: "password", label: "Password", type: "password", hint: "Leave empty to invite: they sign in with SSO" },
      ]}
      editSchema={userUpdate}
      editFields={[
        { name: "name", label: "Name" },
        { name: "role", label: "Role", type: "select", options: roleOptions },
        scope,
        { name: "active", label: "Active", type: "checkbox" },
        { name: "password", label: "New password", type: "password", hint: "Leave empty to keep" },
      ]}
      actions={(u) => <SignOutUser user={u} />}
      columns={[
        { label: "Email", render: (u) => u.email },
        { label: "Name", render: (u) => u.name },
        { label: "Role", render: (u) => u.role },
        { label: "Departments", render: (u) => (u.departmentIds.length ? u.departmentIds.map((id) => byId.get(id) ?? id).join(", ") : "all") },
        { label: "Sign-in", render: (u) => (u.passwordLogin ? "password or SSO" : "SSO") },
        { label: "Two-factor", render: (u) => (u.twoFactor ? "on" : u.passwordLogin ? "off" : "—") },
        { label: "Status", render: status },
        { label: "Last login", render: (u) => when(u.lastLoginAt) },
      ]}
    />
  );
}

/** Ends every session of the user at once (e.g. a lost laptop); they sign in again. */
function SignOutUser({ user }: { user: User }) {
  const mutate = useMutate<{ sessionsEnded: number }>("users");
  return (
    <button
      type="button"
      disabled={mutate.isPending}
      onClick={() => mutate.mutate({ method: "POST", path: `${user.id}/sign-out` })}
      className="text-sm text-slate-600 underline hover:text-slate-900 disabled:opacity-60"
      aria-label={`Sign out ${user.email} everywhere`}
    >
      {mutate.isSuccess ? `Signed out (${mutate.data.sessionsEnded})` : "Sign out everywhere"}
    </button>
  );
}
