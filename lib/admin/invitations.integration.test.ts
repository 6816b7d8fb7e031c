// Invitations over real PostgreSQL: viewer by default, the link creates the user once (the password works), an
// expired, revoked or replaced link is refused, and every step is audited.
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { checkPassword } from "@/lib/auth/passwords";
import { db, pool } from "@/lib/db";
import { invitationAccept, invitationCreate } from "./invitation-schemas";
import { acceptInvitation, createInvitation, listInvitations, lookupInvitation, resendInvitation, revokeInvitation } from "./invitations";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const ORIGIN = "https://ledger.example";
const tokenOf = (link: string) => link.split("/invite/")[1]!;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now()), (2, 'exists@example.com', 'E', 'viewer', now())");
  await pool.query("SELECT setval('users_id_seq', 100)"); // ids above were given explicitly
});

describe("invitations", () => {
  it("default to viewer and give a link that sets a password once", async () => {
    const created = await createInvitation(admin, invitationCreate.parse({ email: "New.Person@Example.com", name: "New Person" }), ORIGIN);
    expect(created).toMatchObject({ email: "new.person@example.com", role: "viewer", status: "pending", invitedBy: "admin@test" });
    expect(created.link).toMatch(/^https:\/\/ledger\.example\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(created.link);
    // Only a keyed hash is stored, never the token.
    expect((await db.invitation.findUniqueOrThrow({ where: { id: created.id } })).tokenHash).not.toContain(token);
    expect(await lookupInvitation(token)).toMatchObject({ email: "new.person@example.com", role: "viewer" });

    expect(await acceptInvitation(invitationAccept.parse({ token, password: PASSWORD }))).toEqual({ email: "new.person@example.com" });
    const user = await db.user.findUniqueOrThrow({ where: { email: "new.person@example.com" }, omit: { passwordHash: false } });
    expect(user.role).toBe("viewer");
    expect(await checkPassword(PASSWORD, user.passwordHash)).toBe(true);
    await expect(acceptInvitation({ token, password: PASSWORD })).rejects.toMatchObject({ status: 404 });
    expect(await listInvitations()).toEqual([]);
    const actions = (await db.auditLog.findMany({ where: { entity: "invitation" }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["invitation.create", "invitation.accept"]);
  });

  it("refuse an existing user's email, and a too-short password naming the field", async () => {
    await expect(createInvitation(admin, invitationCreate.parse({ email: "Exists@Example.com", name: "A" }), ORIGIN)).rejects.toMatchObject({ status: 409 });
    expect(invitationAccept.safeParse({ token: "x".repeat(43), password: "short" }).error?.issues[0]).toMatchObject({ path: ["password"], message: "At least 12 characters" });
  });

  it("stop working when revoked, re-sent (the old link) or expired", async () => {
    const a = await createInvitation(admin, invitationCreate.parse({ email: "a@example.com", name: "A", role: "ops" }), ORIGIN);
    await revokeInvitation(admin, a.id);
    await expect(lookupInvitation(tokenOf(a.link))).rejects.toMatchObject({ status: 404 });

    const b = await createInvitation(admin, invitationCreate.parse({ email: "b@example.com", name: "B" }), ORIGIN);
    const again = await resendInvitation(admin, b.id, ORIGIN);
    await expect(acceptInvitation({ token: tokenOf(b.link), password: PASSWORD })).rejects.toMatchObject({ status: 404 });
    await pool.query("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [b.id]);
    await expect(acceptInvitation({ token: tokenOf(again.link), password: PASSWORD })).rejects.toMatchObject({ status: 404 });
    expect((await listInvitations()).map((i) => [i.email, i.status])).toEqual([["b@example.com", "expired"]]);
    expect(await db.user.count({ where: { email: { in: ["a@example.com", "b@example.com"] } } })).toBe(0);
  });
});
