"use client";
import { Button } from "@/components/ui/button";
import { roles, userCreate, userUpdate } from "@/lib/admin/schemas";
import type { Field } from "./entity-form";
import { departmentOptions, type DepartmentOption } from "./format";
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
  twoFactor: boolean;
  /** Sign-in limits (lib/auth/sign-in-limits.ts): failures in the last 15 minutes, refused until when. */
  signIn: { failures: number; limitedUntil: string | null; delayedUntil: string | null; delayedSources: number };
};

const upcoming = (value: string | null) => (value && new Date(value) > new Date() ? new Date(value).toLocaleTimeString() : null);

/** "limited until 14:05 (20 failures)", "delayed until 13:52 for 2 addresses (5 failures)", or "—". */
function limits({ signIn }: User): string {
  const failures = `${signIn.failures} failure${signIn.failures === 1 ? "" : "s"}`;
  const limited = upcoming(signIn.limitedUntil);
  if (limited) return `limited until ${limited} (${failures})`;
  const delayed = upcoming(signIn.delayedUntil);
  if (delayed) return `delayed until ${delayed} for ${signIn.delayedSources} address${signIn.delayedSources === 1 ? "" : "es"} (${failures})`;
  return signIn.failures > 0 ? failures : "—";
}

export function UsersAdmin({ departments, ssoConfigured }: { departments: DepartmentOption[]; ssoConfigured: boolean }) {
  // Least privilege first, so a form left at its first option never makes an admin.
  const roleOptions = [...roles].reverse().map((r) => ({ value: r, label: r }));
  const scope: Field = {
    name: "departmentIds",
    label: "Department scope",
    type: "multiselect",
    options: departmentOptions(departments),
    hint: "None selected = all departments",
  };
  const byId = new Map(departments.map((d) => [d.id, d.code]));
  const unlock = useMutate("users");
  const status = (u: User) => (!u.active ? "deactivated" : limits(u).startsWith("limited") ? "locked" : !u.lastLoginAt ? "never signed in" : "active");
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
        {
          name: "password",
          label: "Password",
          type: "password",
          hint: ssoConfigured ? "Leave empty for a single sign-on user (or use Invite user for a set-password link)" : "Or use Invite user: they choose their own password from a link",
        },
      ]}
      editSchema={userUpdate}
      editFields={[
        { name: "name", label: "Name" },
        { name: "role", label: "Role", type: "select", options: roleOptions },
        scope,
        { name: "active", label: "Active", type: "checkbox" },
        { name: "password", label: "New password", type: "password", hint: "Leave empty to keep" },
      ]}
      columns={[
        { id: "email", header: "Email", value: (u) => u.email },
        { id: "name", header: "Name", value: (u) => u.name },
        { id: "role", header: "Role", value: (u) => u.role },
        { id: "departments", header: "Departments", value: (u) => (u.departmentIds.length ? u.departmentIds.map((id) => byId.get(id) ?? id).join(", ") : "all") },
        { id: "signIn", header: "Sign-in", value: (u) => (u.passwordLogin ? "password or SSO" : "SSO") },
        { id: "twoFactor", header: "Two-factor", value: (u) => (u.twoFactor ? "on" : u.passwordLogin ? "off" : null) },
        { id: "status", header: "Status", value: status },
        { id: "limits", header: "Sign-in limits", value: limits },
        { id: "lastLogin", header: "Last sign-in", type: "datetime", value: (u) => u.lastLoginAt },
      ]}
      actions={(u) => (
        <>
          <SignOutUser user={u} />
          {limits(u) !== "—" && (
            <Button
              variant="link"
              disabled={unlock.isPending}
              onClick={() => unlock.mutate({ method: "POST", path: `${u.id}/unlock` })}
            >
              Unlock
            </Button>
          )}
          {unlock.isError && unlock.variables?.path === `${u.id}/unlock` && (
            <span role="alert" className="text-danger">{unlock.error.message}</span>
          )}
        </>
      )}
    />
  );
}

/** Ends every session of the user at once (e.g. a lost laptop); they sign in again. */
function SignOutUser({ user }: { user: User }) {
  const mutate = useMutate<{ sessionsEnded: number }>("users");
  return (
    <Button variant="link" disabled={mutate.isPending} onClick={() => mutate.mutate({ method: "POST", path: `${user.id}/sign-out` })}>
      {mutate.isSuccess ? `Signed out (${mutate.data.sessionsEnded})` : "Sign out everywhere"}
      <span className="sr-only"> ({user.email})</span>
    </Button>
  );
}
