// Customer view links: a signed, expiring, revocable read-only link per customer (no customer accounts). The token
// is 256 random bits, shown once and stored as SHA-256 like an API key; whoever holds it sees that customer's
// finalized invoices (never drafts or voids), its current-period usage to date, and downloads its invoice PDFs.
// An unknown, expired or revoked token resolves to nothing, so every public surface answers a plain 404.
import "server-only";
import { randomBytes } from "node:crypto";
import { hashSecret } from "@/lib/auth/secret-hash";
import { NotFoundError } from "@/lib/api/errors";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { orgSettings } from "@/lib/org";
import { invoiceNumber } from "./compose";
import type { CustomerLinkCreate, CustomerLinkDto } from "./customer-link-schemas";
import { moneyText } from "./money";
import { billingPeriod, periodOf } from "./period";
import { plansFor } from "./plans";
import { loadInvoice } from "./queries";
import { meterQuantities } from "./usage";


const DAY_MS = 86_400_000;

function dto(link: { id: number; prefix: string; note: string | null; expiresAt: Date; revokedAt: Date | null; lastUsedAt: Date | null; createdAt: Date }, now: Date): CustomerLinkDto {
  return {
    id: link.id,
    prefix: link.prefix,
    note: link.note,
    status: link.revokedAt ? "revoked" : link.expiresAt <= now ? "expired" : "active",
    expiresAt: link.expiresAt.toISOString(),
    revokedAt: link.revokedAt?.toISOString() ?? null,
    lastUsedAt: link.lastUsedAt?.toISOString() ?? null,
    createdAt: link.createdAt.toISOString(),
  };
}

async function customerOf(caller: Caller, customerId: number) {
  assertOrganizationWide(caller, "Customer links");
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { id: true, key: true } });
  if (!customer) throw new NotFoundError(`Customer ${customerId} not found`);
  return customer;
}

/** Creates a link; the token (and so the URL) is returned only here. */
export async function createCustomerLink(caller: Caller, customerId: number, input: CustomerLinkCreate, now = new Date()) {
  const customer = await customerOf(caller, customerId);
  const token = "cl_" + randomBytes(32).toString("base64url");
  return db.$transaction(async (tx) => {
    const link = await tx.customerLink.create({
      data: {
        customerId,
        tokenHash: hashSecret(token),
        prefix: token.slice(0, 8),
        note: input.note ?? null,
        expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
        createdById: caller.kind === "user" ? caller.id : null,
      },
    });
    await audit(tx, { actor: caller, action: "customer_link.create", entity: "customer_link", entityId: link.id, after: { customer: customer.key, prefix: link.prefix, note: link.note, expiresAt: link.expiresAt } });
    return { ...dto(link, now), token, path: `/c/${token}` };
  });
}

export async function listCustomerLinks(caller: Caller, customerId: number, now = new Date()) {
  await customerOf(caller, customerId);
  const links = await db.customerLink.findMany({ where: { customerId }, orderBy: { id: "desc" } });
  return { links: links.map((l) => dto(l, now)) };
}

export async function revokeCustomerLink(caller: Caller, customerId: number, linkId: number, now = new Date()) {
  const customer = await customerOf(caller, customerId);
  return db.$transaction(async (tx) => {
    const link = await tx.customerLink.findFirst({ where: { id: linkId, customerId } });
    if (!link) throw new NotFoundError(`Link ${linkId} not found for this customer`);
    if (link.revokedAt) return dto(link, now);
    const revoked = await tx.customerLink.update({ where: { id: linkId }, data: { revokedAt: now } });
    await audit(tx, { actor: caller, action: "customer_link.revoke", entity: "customer_link", entityId: linkId, before: { customer: customer.key, prefix: link.prefix, revokedAt: null }, after: { revokedAt: now } });
    return dto(revoked, now);
  });
}

/** The customer a live token opens, or null (unknown, expired or revoked: the caller answers 404 either way). */
export async function resolveCustomerLink(token: string, now = new Date()) {
  if (!/^cl_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const link = await db.customerLink.findUnique({ where: { tokenHash: hashSecret(token) }, include: { customer: { select: { id: true, key: true, name: true } } } });
  if (!link || link.revokedAt || link.expiresAt <= now) return null;
  return { linkId: link.id, expiresAt: link.expiresAt, customer: link.customer };
}

/** What the public page shows: finalized invoices and this month's metered usage so far. */
export async function customerView(token: string, now = new Date()) {
  const link = await resolveCustomerLink(token, now);
  if (!link) return null;
  const { customer } = link;
  await db.customerLink.update({ where: { id: link.linkId }, data: { lastUsedAt: now } });
  const { timeZone } = await orgSettings();
  const period = billingPeriod(periodOf(now, timeZone), timeZone);
  const [invoices, plan] = await Promise.all([
    db.invoice.findMany({
      where: { customerId: customer.id, status: "finalized" },
      select: { id: true, number: true, period: true, currency: true, total: true, finalizedAt: true },
      orderBy: [{ period: "desc" }, { id: "desc" }],
    }),
    plansFor(period, [customer.id]).then((plans) => plans.get(customer.id) ?? null),
  ]);
  const meters = plan?.charges.map((c) => c.meter) ?? [];
  const quantities = (await meterQuantities(meters, { start: period.start, end: now }, [customer.id])).quantities.get(customer.id);
  return {
    customer: { key: customer.key, name: customer.name },
    expiresAt: link.expiresAt.toISOString(),
    period: period.period,
    usageTo: now.toISOString(),
    usage: meters.map((m) => ({ meter: m.name, unit: m.unit, quantity: (quantities?.get(m.id) ?? 0).toString() })),
    invoices: invoices.map((i) => ({
      id: i.id,
      number: invoiceNumber(i.number)!,
      period: i.period,
      currency: i.currency.trim(),
      total: moneyText(i.total, i.currency),
      finalizedAt: i.finalizedAt?.toISOString() ?? null,
    })),
  };
}

/** A finalized invoice of the token's customer, or null: another customer's invoice is as unknown as a bad token. */
export async function customerLinkInvoice(token: string, invoiceId: number, now = new Date()) {
  const link = await resolveCustomerLink(token, now);
  if (!link) return null;
  const owned = await db.invoice.findFirst({ where: { id: invoiceId, customerId: link.customer.id, status: "finalized" }, select: { id: true } });
  return owned ? loadInvoice(owned.id) : null;
}
