// The month-end run against real PostgreSQL and a real SMTP peer (smtp-server, parsed with mailparser): the list's
// search, filters, paging and per-currency totals; bulk finalize with a failing FX case (numbers stay sequential);
// send with the PDF attached and the sent log; four-eyes approval (self-approval refused, a second user approves).
import { holdNext, mailbox, refuseNext } from "@/tests/helpers/smtp-peer";
import Decimal from "decimal.js";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { approve, reject } from "@/lib/approvals/actions";
import { updateFourEyesSettings } from "@/lib/approvals/approvals";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { bulkFinalize, finalizeOrRequestApproval, searchInvoices } from "./month-end";
import { issueOrRequestApproval } from "./credit-notes";
import { voidInvoice } from "./lifecycle";
import { getInvoice } from "./queries";
import { listSends, sendInvoice } from "./send";
import { listQuery } from "./schemas";

let alice: UserCaller;
let bob: UserCaller;
const customers: Record<string, number> = {};
let period = 0;

async function user(email: string): Promise<UserCaller> {
  const u = await db.user.create({ data: { email, name: email.split("@")[0]!, role: "finance" } });
  return { kind: "user", id: u.id, email, name: u.name, role: "finance", departmentIds: null };
}

/** A draft with one usage line (amount = total), in its own month unless given. */
async function draft(customer: string, currency: string, total: string, opts: { period?: string; missingFx?: boolean } = {}) {
  const p = opts.period ?? `2025-${String((period++ % 12) + 1).padStart(2, "0")}`;
  return db.invoice.create({
    data: {
      customerId: customers[customer]!,
      period: p,
      periodStart: new Date(`${p}-01T00:00:00Z`),
      periodEnd: new Date(`${p}-28T00:00:00Z`),
      currency,
      subtotal: total,
      total,
      fx: opts.missingFx ? { rule: "period_end", rates: [], missing: [{ from: "CHF", to: currency, day: `${p}-28` }] } : undefined,
      lines: { create: { kind: "usage", description: "Agent actions", quantity: "1", amount: total } },
    },
  });
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  alice = await user("alice@test");
  bob = await user("bob@test");
  for (const [key, name, email] of [["stark", "Stark Logistics", "ap@stark.test"], ["wayne", "Wayne Enterprises", "billing@wayne.test"], ["acme", "Acme", null]] as const) {
    customers[key] = (await db.customer.create({ data: { key, name, billingEmail: email } })).id;
  }
});

describe("the invoice list", () => {
  it("searches, filters, sorts and pages on the server, with totals per currency over the whole filtered set", async () => {
    const p = "2024-03";
    await draft("stark", "USD", "100.00", { period: p });
    await draft("wayne", "USD", "250.50", { period: p });
    await draft("wayne", "EUR", "80.25", { period: p });
    await draft("acme", "JPY", "1200", { period: p });
    const all = await searchInvoices(alice, listQuery.parse({ period: p, sort: "total", order: "asc", limit: "2" }));
    expect(all.count).toBe(4);
    expect(all.invoices.map((i) => i.total)).toEqual(["80.25", "100.00"]); // one page
    expect(all.totals).toEqual([
      { currency: "EUR", count: 1, total: "80.25" },
      { currency: "JPY", count: 1, total: "1200" },
      { currency: "USD", count: 2, total: "350.50" },
    ]);
    const page2 = await searchInvoices(alice, listQuery.parse({ period: p, sort: "total", order: "asc", limit: "2", offset: "2" }));
    expect(page2.invoices.map((i) => i.total)).toEqual(["250.50", "1200"]);
    const wayne = await searchInvoices(alice, listQuery.parse({ period: p, q: "wAyNe", currency: "USD" }));
    expect(wayne.invoices.map((i) => [i.customer?.key, i.total])).toEqual([["wayne", "250.50"]]);
    expect(wayne.totals).toEqual([{ currency: "USD", count: 1, total: "250.50" }]);
    expect(listQuery.safeParse({ currency: "usd" }).error?.issues[0]?.path).toEqual(["currency"]);
  });
});

describe("bulk finalize", () => {
  it("summarizes first, then finalizes in order with consecutive numbers and reports the missing FX rate", async () => {
    const p = "2024-05";
    const a = await draft("stark", "USD", "10.00", { period: p });
    const fx = await draft("wayne", "GBP", "20.00", { period: p, missingFx: true });
    const b = await draft("acme", "USD", "30.00", { period: p });
    const summary = await bulkFinalize(alice, { period: p, dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, count: 3, totals: [{ currency: "USD", count: 2, total: "40.00" }], finalized: [], needsApproval: [] });
    expect(summary.ready.map((r) => r.id)).toEqual([b.id, a.id]); // by customer name: Acme, Stark
    expect(summary.failed).toEqual([expect.objectContaining({ id: fx.id, reason: expect.stringMatching(/cannot be finalized: no FX rate CHF→GBP/) })]);
    expect(await db.invoice.count({ where: { period: p, status: "finalized" } })).toBe(0); // a dry run changes nothing

    const before = (await db.invoice.aggregate({ _max: { number: true } }))._max.number ?? 0;
    const result = await bulkFinalize(alice, { period: p, dryRun: false });
    const n = (k: number) => `INV-${String(before + k).padStart(6, "0")}`;
    expect(result.finalized).toEqual([{ id: b.id, number: n(1) }, { id: a.id, number: n(2) }]);
    expect(result.failed.map((f) => f.id)).toEqual([fx.id]);
    expect((await getInvoice(alice, fx.id)).status).toBe("draft");
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "invoice.bulk_finalize" }, orderBy: { id: "desc" } });
    expect(entry.after).toMatchObject({ finalized: result.finalized, failed: [{ id: fx.id }] });

    // By ids: a finalized one is reported, not finalized again.
    const again = await bulkFinalize(alice, { ids: [a.id], dryRun: false });
    expect(again.failed).toEqual([expect.objectContaining({ id: a.id, reason: `Invoice ${a.id} is finalized; only drafts can be finalized` })]);
  });
});

describe("send", () => {
  it("emails the PDF to the billing email over SMTP and logs the send; refusals are clear", async () => {
    const inv = await draft("stark", "USD", "42.00");
    await expect(sendInvoice(alice, inv.id)).rejects.toThrow(/is draft; only finalized invoices can be sent/);
    await finalizeOrRequestApproval(inv.id, alice);
    const number = (await getInvoice(alice, inv.id)).number!;
    const send = await sendInvoice(alice, inv.id);
    expect(send).toMatchObject({ invoiceId: inv.id, to: "ap@stark.test", status: "sent", error: null, sentBy: "alice@test" });
    const received = mailbox.find((m) => m.mail.subject?.includes(number))!;
    expect(received.envelopeTo).toEqual(["ap@stark.test"]);
    expect(send.messageId).toBe(received.mail.messageId);
    const [pdf] = received.mail.attachments;
    expect(pdf).toMatchObject({ contentType: "application/pdf", filename: expect.stringMatching(/\.pdf$/) });
    expect(pdf!.content.subarray(0, 5).toString()).toBe("%PDF-");
    expect(received.mail.text).toContain("$42.00");

    const listed = await searchInvoices(alice, listQuery.parse({ customer: "stark", sent: "yes" }));
    expect(listed.invoices.map((i) => [i.id, i.sent?.to])).toEqual([[inv.id, "ap@stark.test"]]);
    expect((await searchInvoices(alice, listQuery.parse({ customer: "stark", sent: "no", status: "finalized" }))).invoices.map((i) => i.id)).not.toContain(inv.id);

    refuseNext.push(550);
    const failed = await sendInvoice(alice, inv.id);
    expect(failed).toMatchObject({ status: "failed", messageId: null, error: expect.stringMatching(/550/) });
    expect((await listSends(alice, inv.id)).map((s) => s.status)).toEqual(["failed", "sent"]);
    // Sent: corrections are credit notes from now on.
    await expect(voidInvoice(inv.id, "typo", alice)).rejects.toThrow(/was sent to ap@stark\.test on \d{4}-\d{2}-\d{2} and cannot be voided: issue a credit note instead/);

    const acme = await draft("acme", "USD", "5.00");
    await finalizeOrRequestApproval(acme.id, alice);
    await expect(sendInvoice(alice, acme.id)).rejects.toThrow(/customer Acme has no billing email/);
    expect(await db.invoiceSend.count({ where: { invoiceId: acme.id } })).toBe(0);
  });

  it("a send and a void never both succeed: a void refuses a send in flight, a send refuses a voided invoice", { timeout: 120_000 }, async () => {
    const finalized = async (total: string) => {
      const inv = await draft("wayne", "USD", total);
      await finalizeOrRequestApproval(inv.id, alice);
      return inv.id;
    };
    // Void first: the send is refused, nothing mailed or logged.
    const voided = await finalized("10.00");
    await voidInvoice(voided, "wrong customer", bob);
    await expect(sendInvoice(alice, voided)).rejects.toThrow(/is void; only finalized invoices can be sent/);
    expect(await db.invoiceSend.count({ where: { invoiceId: voided } })).toBe(0);

    // Send first: while the mail is in flight (the SMTP peer holds its reply) the log says `sending` and a void is refused.
    const held = await finalized("11.00");
    let release!: () => void;
    holdNext.push(new Promise<void>((resolve) => (release = resolve)));
    const sending = sendInvoice(alice, held);
    await vi.waitFor(async () => expect((await listSends(alice, held)).map((s) => s.status)).toEqual(["sending"]), { timeout: 30_000, interval: 50 });
    await expect(voidInvoice(held, "typo", bob)).rejects.toThrow(/is being sent to billing@wayne\.test and cannot be voided now/);
    release();
    expect(await sending).toMatchObject({ status: "sent" });
    expect((await getInvoice(alice, held)).status).toBe("finalized");

    // Concurrent requests: exactly one of the two succeeds, and the invoice and its log agree with which.
    for (let i = 0; i < 6; i++) {
      const id = await finalized(`${20 + i}.00`);
      const [send, cancel] = await Promise.allSettled([sendInvoice(alice, id), voidInvoice(id, "race", bob)]);
      expect([send.status, cancel.status].filter((s) => s === "fulfilled")).toHaveLength(1);
      const status = (await getInvoice(alice, id)).status;
      const sent = await db.invoiceSend.count({ where: { invoiceId: id, status: { in: ["sent", "sending"] } } });
      expect([status, sent]).toEqual(cancel.status === "fulfilled" ? ["void", 0] : ["finalized", 1]);
    }
  });
});

describe("four-eyes approval", () => {
  it("holds finalizing at or above the threshold until a different user approves; below it finalizes at once", async () => {
    await updateFourEyesSettings(alice, { enabled: true, threshold: "1000.00" });
    try {
      const big = await draft("wayne", "USD", "1000.00");
      const outcome = await finalizeOrRequestApproval(big.id, alice);
      expect(outcome.finalized).toBe(false);
      const approvalId = (outcome as { approvalId: number }).approvalId;
      expect(await getInvoice(alice, big.id)).toMatchObject({ status: "draft", awaitingApproval: approvalId });
      // Asking again finds the same request.
      expect(await finalizeOrRequestApproval(big.id, alice)).toEqual({ finalized: false, approvalId });

      await expect(approve(alice, approvalId)).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/You requested approval \d+; four-eyes approval needs a different finance or admin user/) });
      expect((await getInvoice(alice, big.id)).status).toBe("draft");

      const approved = await approve(bob, approvalId);
      expect(approved).toMatchObject({ status: "approved", requestedBy: { email: "alice@test" }, decidedBy: { email: "bob@test" } });
      expect(await getInvoice(alice, big.id)).toMatchObject({ status: "finalized", awaitingApproval: null });
      await expect(approve(bob, approvalId)).rejects.toMatchObject({ status: 409 });
      const actions = (await db.auditLog.findMany({ where: { entity: "approval", entityId: String(approvalId) }, orderBy: { id: "asc" } })).map((a) => a.action);
      expect(actions).toEqual(["approval.request", "approval.approve"]);

      const small = await draft("wayne", "USD", "999.99");
      expect(await finalizeOrRequestApproval(small.id, alice)).toEqual({ finalized: true });

      // In another currency the total is valued in the organization currency; without a rate it is held (never 1:1).
      const eur = await draft("wayne", "EUR", "10.00", { period: "2023-01" });
      expect((await finalizeOrRequestApproval(eur.id, alice)).finalized).toBe(false);
      await db.fxRate.create({ data: { base: "EUR", quote: "USD", date: new Date("2023-01-31T00:00:00Z"), rate: "1.10", source: "manual", createdBy: "test" } });
      const eur2 = await draft("stark", "EUR", "909.09", { period: "2023-01" });
      expect(await finalizeOrRequestApproval(eur2.id, alice)).toEqual({ finalized: true }); // 999.999 USD < 1000

      // In bulk, the big one is requested, not finalized; a rejection leaves it a draft.
      const big2 = await draft("stark", "USD", "5000.00");
      const bulk = await bulkFinalize(alice, { ids: [big2.id], dryRun: false });
      expect(bulk.finalized).toEqual([]);
      const requested = bulk.needsApproval[0]!;
      expect(requested).toMatchObject({ id: big2.id, approvalId: expect.any(Number) });
      await expect(reject(alice, requested.approvalId!, "not mine to reject")).rejects.toMatchObject({ status: 403 });
      expect(await reject(bob, requested.approvalId!, "usage looks wrong")).toMatchObject({ status: "rejected", reason: "usage looks wrong" });
      expect((await getInvoice(alice, big2.id)).status).toBe("draft");
      expect(new Decimal((await getInvoice(alice, big2.id)).total).toFixed(2)).toBe("5000.00");

      // Credit notes: at or above the threshold a request, issued once another user approves; below it at once.
      const credited = (await getInvoice(alice, big.id)).id;
      const request = { kind: "amount", amount: "1000.00", reason: "service outage credit" } as const;
      const held = await issueOrRequestApproval(alice, credited, request);
      expect(held).toEqual({ approvalId: expect.any(Number) });
      expect(await db.creditNote.count({ where: { invoiceId: credited } })).toBe(0);
      const heldId = (held as { approvalId: number }).approvalId;
      await expect(approve(alice, heldId)).rejects.toMatchObject({ status: 403 });
      await approve(bob, heldId);
      const notes = await db.creditNote.findMany({ where: { invoiceId: credited }, select: { total: true, reason: true, issuedById: true } });
      expect(notes.map((n) => [n.total.toFixed(2), n.reason, n.issuedById])).toEqual([["1000.00", "service outage credit", bob.id]]);
      // Nothing is left to credit: the plan refuses before any request is recorded.
      await expect(issueOrRequestApproval(alice, credited, { kind: "amount", amount: "0.01", reason: "more" })).rejects.toMatchObject({ status: 409 });
      const smallNote = await issueOrRequestApproval(alice, small.id, { kind: "amount", amount: "10.00", reason: "goodwill" });
      expect(smallNote).toEqual({ noteId: expect.any(Number) });
    } finally {
      await updateFourEyesSettings(alice, { enabled: false, threshold: null });
    }
  });

  it("values a credit note at the organization's day, not the UTC day", async () => {
    const inv = await draft("stark", "EUR", "800.00", { period: "2026-02" });
    await finalizeOrRequestApproval(inv.id, alice);
    // At noon UTC on 1 March it is already 2 March in Kiritimati (UTC+14), where a euro is worth twice as much.
    for (const [date, rate] of [["2026-03-01", "1.00"], ["2026-03-02", "2.00"]] as const) {
      await db.fxRate.create({ data: { base: "EUR", quote: "USD", date: new Date(`${date}T00:00:00Z`), rate, source: "manual", createdBy: "test" } });
    }
    await db.organization.update({ where: { id: 1 }, data: { timeZone: "Pacific/Kiritimati" } });
    forgetOrgSettings();
    await updateFourEyesSettings(alice, { enabled: true, threshold: "1000.00" });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
    try {
      // 600 EUR = 1200 USD on 2 March (held for approval); it would be 600 USD on the UTC day.
      expect(await issueOrRequestApproval(alice, inv.id, { kind: "amount", amount: "600.00", reason: "outage" })).toEqual({ approvalId: expect.any(Number) });
    } finally {
      vi.useRealTimers();
      await updateFourEyesSettings(alice, { enabled: false, threshold: null });
      await db.organization.update({ where: { id: 1 }, data: { timeZone: "UTC" } });
      forgetOrgSettings();
    }
  });
});
