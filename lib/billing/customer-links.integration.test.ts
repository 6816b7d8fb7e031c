// Customer view links: token lifecycle (shown once, stored hashed, expires, revoked, audited) and isolation (a link
// opens only its own customer's finalized invoices; everything else is as unknown as a bad token).
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, NotFoundError } from "@/lib/api/errors";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { seedBasics } from "@/tests/helpers/db";
import { createCustomerLink, customerLinkInvoice, customerView, listCustomerLinks, revokeCustomerLink } from "./customer-links";
import { customerLinkCreate } from "./customer-link-schemas";
import { generateDrafts } from "./generate";
import { finalizeInvoice } from "./lifecycle";
import { createCatalog, createCustomer, insertEvents } from "./test-fixtures";

let finance: UserCaller = { kind: "user", id: 0, email: "finance@test", name: "Finance", role: "finance", departmentIds: null };
const now = new Date("2026-11-15T12:00:00Z"); // organization time zone UTC: the open period is 2026-11
const day = 86_400_000;
let a: { id: number }, b: { id: number };
const invoices: Record<string, number> = {};

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  const user = await db.user.create({ data: { email: "finance@links.test", name: "Finance", role: "finance", passwordHash: "unused" } });
  finance = { ...finance, id: user.id };
  const catalog = await createCatalog();
  a = await createCustomer("alpha", catalog.plans.growth.id);
  b = await createCustomer("beta", catalog.plans.growth.id);
  await insertEvents([
    { customerId: a.id, type: "agent.action", at: new Date("2026-10-05T00:00:00Z"), quantity: "3000" },
    { customerId: b.id, type: "agent.action", at: new Date("2026-10-05T00:00:00Z"), quantity: "5000" },
    { customerId: a.id, type: "agent.action", at: new Date("2026-11-02T00:00:00Z"), quantity: "42" },
    { customerId: a.id, type: "agent.conversation", at: new Date("2026-11-03T00:00:00Z") },
    { customerId: a.id, type: "agent.action", at: new Date("2026-11-20T00:00:00Z"), quantity: "1000" }, // after "now"
    { customerId: b.id, type: "agent.action", at: new Date("2026-11-02T00:00:00Z"), quantity: "7" },
  ]);
  await generateDrafts("2026-10", finance);
  for (const inv of await db.invoice.findMany({ where: { period: "2026-10" }, include: { customer: true } })) {
    await finalizeInvoice(inv.id, finance);
    invoices[inv.customer!.key] = inv.id;
  }
  await generateDrafts("2026-11", finance, [a.id]); // a draft: never shown
  invoices.alphaDraft = (await db.invoice.findFirstOrThrow({ where: { customerId: a.id, period: "2026-11" } })).id;
});

describe("customer view links", () => {
  it("shows the token once, stores only its hash, and audits creation without the secret", async () => {
    const link = await createCustomerLink(finance, a.id, { expiresInDays: 30, note: "Accounts payable" }, now);
    expect(link.token).toMatch(/^cl_[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(link).toMatchObject({ path: `/c/${link.token}`, status: "active", expiresAt: new Date(now.getTime() + 30 * day).toISOString() });
    const row = await db.customerLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(link.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(link.token);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "customer_link.create", entityId: String(link.id) } });
    expect(JSON.stringify([entry.before, entry.after])).not.toContain(link.token);
    expect(entry.after).toMatchObject({ customer: "alpha", prefix: link.token.slice(0, 8) });
    expect((await listCustomerLinks(finance, a.id, now)).links).toEqual([expect.not.objectContaining({ token: expect.anything() })]);
    expect(customerLinkCreate.safeParse({ expiresInDays: 91 }).success).toBe(false);
  });

  it("opens only its customer's finalized invoices and this month's usage to date", async () => {
    const { token } = await createCustomerLink(finance, a.id, { expiresInDays: 7 }, now);
    const view = await customerView(token, now);
    expect(view).toMatchObject({ customer: { key: "alpha", name: "ALPHA" }, period: "2026-11" });
    expect(view!.invoices.map((i) => i.id)).toEqual([invoices.alpha]);
    expect(view!.invoices[0]).toMatchObject({ number: expect.stringMatching(/^INV-/), period: "2026-10" });
    expect(Object.fromEntries(view!.usage.map((u) => [u.meter, u.quantity]))).toEqual({ "Agent actions": "42", Conversations: "1", "LLM cost": "0" });

    expect((await customerLinkInvoice(token, invoices.alpha!, now))?.customer?.key).toBe("alpha");
    expect(await customerLinkInvoice(token, invoices.beta!, now)).toBeNull(); // another customer's invoice
    expect(await customerLinkInvoice(token, invoices.alphaDraft!, now)).toBeNull(); // a draft
    expect(await customerLinkInvoice(token, 999999, now)).toBeNull();
  });

  it("stops working when expired, revoked or unknown; revocation is scoped to the customer and audited", async () => {
    const link = await createCustomerLink(finance, a.id, { expiresInDays: 1 }, now);
    expect(await customerView(link.token, new Date(now.getTime() + day - 1))).not.toBeNull();
    expect(await customerView(link.token, new Date(now.getTime() + day))).toBeNull();
    expect(await customerLinkInvoice(link.token, invoices.alpha!, new Date(now.getTime() + day))).toBeNull();

    const live = await createCustomerLink(finance, a.id, { expiresInDays: 90 }, now);
    await expect(revokeCustomerLink(finance, b.id, live.id, now)).rejects.toBeInstanceOf(NotFoundError);
    expect(await revokeCustomerLink(finance, a.id, live.id, now)).toMatchObject({ status: "revoked" });
    expect(await customerView(live.token, now)).toBeNull();
    expect(await customerLinkInvoice(live.token, invoices.alpha!, now)).toBeNull();
    expect(await db.auditLog.count({ where: { action: "customer_link.revoke", entityId: String(live.id) } })).toBe(1);

    expect(await customerView(live.token.slice(0, -1) + (live.token.endsWith("A") ? "B" : "A"), now)).toBeNull();
    expect(await customerView("not-a-token", now)).toBeNull();
    const statuses = (await listCustomerLinks(finance, a.id, now)).links.map((l) => l.status);
    expect(statuses).toContain("revoked");
  });

  it("is refused to department-scoped users", async () => {
    const scoped: UserCaller = { ...finance, departmentIds: [1] };
    await expect(createCustomerLink(scoped, a.id, { expiresInDays: 30 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listCustomerLinks(scoped, a.id)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
