// Administration services against PostgreSQL: audit trail (append-only), users and scope, API keys shown
// once and revocable, plan assignment, time-zone change rebuilding rollups, SSO admission (no takeover by email,
// issuer + subject, Salesforce org pinning, no admin by domain), sign-in limits.
import { beforeAll, describe, expect, test } from "vitest";
import { createApiKeyAudited, listApiKeys, revokeApiKey } from "@/lib/admin/api-keys";
import { apiKeyCreate, settingsUpdate } from "@/lib/admin/schemas";
import { orgSettings } from "@/lib/org";
import { assignPlan, createCustomer } from "@/lib/admin/customers";
import { updateSettings } from "@/lib/admin/settings";
import { createUser, updateUser } from "@/lib/admin/users";
import { audit } from "@/lib/audit";
import { findApiKey } from "@/lib/auth/api-keys";
import type { UserCaller } from "@/lib/auth/caller";
import { claimAttempt, releaseAttempt } from "@/lib/auth/sign-in-limits";
import { admitSsoUser, parseDomainRoles, type SsoIdentity } from "@/lib/auth/sso";
import { db, pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";

let admin: UserCaller;
let support = 0;

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', 'UTC', now())");
  support = (await db.department.create({ data: { code: "SUPPORT", name: "Support" } })).id;
  const u = await db.user.create({ data: { email: "root@admin.test", name: "Root", role: "admin" } });
  admin = { kind: "user", id: u.id, email: u.email, name: u.name, role: "admin", departmentIds: null };
});

const lastAudit = () => db.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } });

describe("audit log", () => {
  test("records who, what, before and after, without secrets", async () => {
    await db.$transaction((tx) =>
      audit(tx, { actor: admin, action: "thing.update", entity: "thing", entityId: 7, before: { a: 1, hash: "x" }, after: { a: 2, passwordHash: "y", n: 10n } }),
    );
    const row = await lastAudit();
    expect(row).toMatchObject({ actorId: admin.id, actor: "root@admin.test", action: "thing.update", entity: "thing", entityId: "7", before: { a: 1 }, after: { a: 2, n: "10" } });
  });

  test("is append-only in the database", async () => {
    await expect(pool.query("UPDATE audit_logs SET actor = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM audit_logs")).rejects.toThrow(/append-only/);
  });

  test("rolls back with the change it describes", async () => {
    const before = await db.auditLog.count();
    await expect(
      db.$transaction(async (tx) => {
        await audit(tx, { actor: admin, action: "thing.create", entity: "thing" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    expect(await db.auditLog.count()).toBe(before);
  });
});

describe("users", () => {
  test("invite with a department scope, then widen it; each change audited", async () => {
    const invited = await createUser(admin, { email: "head@admin.test", name: "Head", role: "viewer", departmentIds: [support] });
    expect(invited).toMatchObject({ passwordLogin: false, departmentIds: [support], active: true });
    expect(invited).not.toHaveProperty("passwordHash");
    expect((await lastAudit()).action).toBe("user.invite");
    const widened = await updateUser(admin, invited.id, { departmentIds: [] });
    expect(widened.departmentIds).toEqual([]);
    expect(await lastAudit()).toMatchObject({ action: "user.update", before: { departmentIds: [support] }, after: { departmentIds: [] } });
  });

  test("unknown departments are a field error; an admin cannot lock themselves out", async () => {
    await expect(createUser(admin, { email: "x@admin.test", name: "X", role: "ops", departmentIds: [999999] })).rejects.toMatchObject({ status: 400 });
    await expect(updateUser(admin, admin.id, { active: false })).rejects.toMatchObject({ status: 409 });
    await expect(updateUser(admin, admin.id, { role: "viewer" })).rejects.toMatchObject({ status: 409 });
  });
});

describe("API keys", () => {
  test("the secret is returned once, works, is never listed, and stops working when revoked", async () => {
    const { key, secret } = await createApiKeyAudited(admin, apiKeyCreate.parse({ name: "connector", scopes: ["ingest"], rateLimitPerMinute: 60 }));
    expect(secret).toMatch(/^al_/);
    expect(await findApiKey(secret)).toMatchObject({ id: key.id, scopes: ["ingest"], rateLimitPerMinute: 60 });
    const listed = JSON.stringify(await listApiKeys());
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain('"hash"');
    expect(JSON.stringify(await lastAudit(), (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(secret);
    await revokeApiKey(admin, key.id);
    expect(await findApiKey(secret)).toBeNull();
    await expect(revokeApiKey(admin, key.id)).rejects.toMatchObject({ status: 409 });
  });
});

describe("customers", () => {
  test("assigning a plan closes the open assignment at the new start", async () => {
    const plan = await db.pricePlan.create({ data: { key: "std", name: "Standard", effectiveFrom: new Date("2026-01-01T00:00:00Z") } });
    const plan2 = await db.pricePlan.create({ data: { key: "std", version: 2, name: "Standard", effectiveFrom: new Date("2026-01-01T00:00:00Z") } });
    const customer = await createCustomer(admin, { key: "acme", name: "Acme" });
    await assignPlan(admin, customer.id, { planId: plan.id, effectiveFrom: "2026-01-01T00:00:00Z" });
    const after = await assignPlan(admin, customer.id, { planId: plan2.id, effectiveFrom: "2026-03-01T00:00:00Z" });
    expect(after.plans.map((p) => [p.planId, p.effectiveFrom.toISOString(), p.effectiveTo?.toISOString() ?? null])).toEqual([
      [plan2.id, "2026-03-01T00:00:00.000Z", null],
      [plan.id, "2026-01-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"],
    ]);
  });
});

describe("settings", () => {
  test("a time-zone change re-buckets the daily rollups", async () => {
    const agent = await db.agent.create({ data: { key: "tz-bot", name: "TZ bot" } });
    // 02:00 UTC on the 2nd is still the 1st in New York.
    await pool.query(
      "INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, cost) VALUES ('t', 'tz1', '2026-03-02T02:00:00Z', 'x', $1, 1)",
      [agent.id],
    );
    await rebuildRollups(pool);
    const day = async () => (await pool.query<{ day: string }>("SELECT day::text FROM usage_rollup_daily WHERE agent_id = $1", [agent.id])).rows[0]?.day;
    expect(await day()).toBe("2026-03-02");
    const result = await updateSettings(admin, { timeZone: "America/New_York" });
    expect(result).toMatchObject({ timeZone: "America/New_York", rollupsRebuilt: true });
    expect(await day()).toBe("2026-03-01");
    expect(await lastAudit()).toMatchObject({ action: "settings.update", before: { timeZone: "UTC" }, after: { timeZone: "America/New_York" } });
  });

  test("the fiscal year's start month (1–12) is a setting the periods read, audited; other months are refused", async () => {
    expect(await updateSettings(admin, settingsUpdate.parse({ fiscalMonthStart: 4 }))).toMatchObject({ fiscalMonthStart: 4, rollupsRebuilt: false });
    expect((await orgSettings()).fiscalMonthStart).toBe(4);
    expect(await lastAudit()).toMatchObject({ action: "settings.update", before: { fiscalMonthStart: 1 }, after: { fiscalMonthStart: 4 } });
    for (const bad of [0, 13, 4.5]) {
      expect(settingsUpdate.safeParse({ fiscalMonthStart: bad }).error?.issues[0]?.path).toEqual(["fiscalMonthStart"]);
    }
  });
});

describe("SSO admission", () => {
  const domains = parseDomainRoles("sso.example:ops, partner.example : viewer, evil.example:admin");
  const idp = (subject: string, email: string | null, more: Partial<SsoIdentity> = {}): SsoIdentity => ({
    provider: "oidc",
    issuer: "https://idp.example",
    subject,
    email,
    emailVerified: true,
    ...more,
  });

  test("parses domain rules; a rule can never grant admin", () => {
    expect([...domains]).toEqual([["sso.example", "ops"], ["partner.example", "viewer"]]);
  });

  test("an invitation is consumed by the first verified identity; identities are keyed by issuer and subject", async () => {
    const invited = await createUser(admin, { email: "invitee@elsewhere.example", name: "Invitee", role: "finance", departmentIds: [] });
    expect(await admitSsoUser(idp("sub-1", "Invitee@Elsewhere.example", { emailVerified: undefined }), { domainRoles: domains })).toBeNull();
    expect(await admitSsoUser(idp("sub-1", "invitee@elsewhere.example", { emailVerified: "true" }), { domainRoles: domains })).toBeNull();
    expect(await admitSsoUser(idp("sub-1", "Invitee@Elsewhere.example"), { domainRoles: domains })).toBe(invited.id);
    expect(await lastAudit()).toMatchObject({ action: "user.invitation_accept", entityId: String(invited.id) });
    // The same subject signs in again; another identity with the same email (or the same subject at another issuer) does not.
    expect(await admitSsoUser(idp("sub-1", "changed@elsewhere.example"), { domainRoles: domains })).toBe(invited.id);
    expect(await admitSsoUser(idp("sub-2", "invitee@elsewhere.example"), { domainRoles: domains })).toBeNull();
    expect(await admitSsoUser(idp("sub-1", "invitee@elsewhere.example", { issuer: "https://other-idp.example" }), { domainRoles: domains })).toBeNull();
    await updateUser(admin, invited.id, { active: false });
    expect(await admitSsoUser(idp("sub-1", "invitee@elsewhere.example"), { domainRoles: domains })).toBeNull();
  });

  test("a password account is never taken over by email, only linked by its signed-in owner", async () => {
    const owner = await createUser(admin, { email: "owner@sso.example", name: "Owner", role: "admin", departmentIds: [], password: "a-long-password-123" });
    expect(await admitSsoUser(idp("attacker", "owner@sso.example"), { domainRoles: domains })).toBeNull();
    expect(await admitSsoUser(idp("owner-sub", "owner@sso.example"), { domainRoles: domains, linkUserId: owner.id })).toBe(owner.id);
    expect(await admitSsoUser(idp("owner-sub", "owner@sso.example"), { domainRoles: domains })).toBe(owner.id);
    // An identity linked to one user cannot be linked to another.
    expect(await admitSsoUser(idp("owner-sub", "owner@sso.example"), { domainRoles: domains, linkUserId: admin.id })).toBeNull();
  });

  test("a domain rule provisions a new user with its identity; others are refused", async () => {
    const id = await admitSsoUser(idp("new-sub", "new@sso.example", { name: "New Person" }), { domainRoles: domains });
    expect(await db.user.findUniqueOrThrow({ where: { id: id! }, omit: { passwordHash: false } })).toMatchObject({ role: "ops", passwordHash: null, name: "New Person" });
    expect(await db.userIdentity.findMany({ where: { userId: id! }, select: { issuer: true, subject: true } })).toEqual([{ issuer: "https://idp.example", subject: "new-sub" }]);
    expect(await admitSsoUser(idp("x", "stranger@nowhere.example"), { domainRoles: domains })).toBeNull();
    expect(await admitSsoUser(idp("y", "boss@evil.example"), { domainRoles: domains })).toBeNull();
    expect(await admitSsoUser(idp("z", "spoof@sso.example", { emailVerified: false }), { domainRoles: domains })).toBeNull();
    expect(await admitSsoUser(idp("w", null, { provider: "salesforce" }), { domainRoles: domains })).toBeNull();
  });

  test("Salesforce: only users of the pinned org (15- or 18-character id)", async () => {
    const sf = (subject: string, organizationId: string | null) =>
      idp(subject, `${subject}@partner.example`, { provider: "salesforce", issuer: "https://login.salesforce.com", organizationId });
    const opts = { domainRoles: domains, salesforceOrgId: "00D000000000001AAA" };
    expect(await admitSsoUser(sf("sf-other", "00D000000000002AAA"), opts)).toBeNull();
    expect(await admitSsoUser(sf("sf-none", null), opts)).toBeNull();
    expect(await admitSsoUser(sf("sf-ours", "00D000000000001"), opts)).not.toBeNull();
  });
});

describe("sign-in limits", () => {
  test("40 concurrent attempts on one email from 40 addresses: exactly 20 are let through; a success gives its slot back", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => claimAttempt("Victim@x.test", `10.0.0.${i}`)));
    const claims = results.flatMap((r) => ("claim" in r ? [r.claim] : []));
    expect(claims).toHaveLength(20);
    expect(results.flatMap((r) => ("refused" in r ? [r.refused.reason] : []))).toEqual(Array(20).fill("account"));
    // A refused attempt moved no counter: its own pair has no delay.
    expect(await pool.query("SELECT 1 FROM login_delays WHERE email = 'victim@x.test'")).toMatchObject({ rowCount: 20 });
    await releaseAttempt(claims[0]!);
    expect(await claimAttempt("victim@x.test", "10.0.1.1")).toHaveProperty("claim");
    expect(await claimAttempt("victim@x.test", "10.0.1.2")).toMatchObject({ refused: { reason: "account" } });
  });

  test("one address on 60 emails at once: 50 are let through; the pair delay refuses a second try at once", async () => {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => claimAttempt(`spray${i}@x.test`, "10.9.9.9")));
    expect(results.filter((r) => "claim" in r)).toHaveLength(50);
    expect(await claimAttempt("fresh@x.test", "10.9.9.8")).toHaveProperty("claim");
    expect(await claimAttempt("fresh@x.test", "10.9.9.8")).toMatchObject({ refused: { reason: "delayed", retryAfterSeconds: 1 } });
  });
});
