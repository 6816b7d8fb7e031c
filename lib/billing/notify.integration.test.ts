// Finance notifications of the billing lifecycle (issue 21): generating a period's drafts queues one invoice run
// summary, finalizing queues one "invoice finalized" per invoice plus the run's summary, only to channels
// subscribed to them; the figures equal the invoices' stored totals; the mail arrives over a real SMTP server.
import { mailbox } from "@/tests/helpers/smtp-peer";
import { beforeAll, describe, expect, it } from "vitest";
import { setChannelSubscriptions } from "@/lib/alerts/subscriptions";
import { createWebhook, deliverDueWebhooks } from "@/lib/alerts/webhooks";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { formatMoney } from "@/lib/format";
import { seedBasics } from "@/tests/helpers/db";
import { generateDrafts } from "./generate";
import { bulkFinalize } from "./month-end";
import type { FinalizedNotice, RunNotice } from "./notify";
import { createCatalog, createCustomer, insertEvents } from "./test-fixtures";

const PERIOD = "2026-10";
let alice: UserCaller;
let finance = 0;
let other = 0;

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  const u = await db.user.create({ data: { email: "alice@test", name: "Alice", role: "admin" } });
  alice = { kind: "user", id: u.id, email: u.email, name: u.name, role: "admin", departmentIds: null };
  await db.agent.create({ data: { id: 1, key: "bot", name: "Bot" } });
  const { plans } = await createCatalog();
  for (const [key, n] of [["stark", 1500], ["wayne", 300]] as const) {
    const c = await createCustomer(key, plans.growth.id);
    await insertEvents(Array.from({ length: 3 }, (_, i) => ({ customerId: c.id, type: "agent.action", at: new Date(`${PERIOD}-1${i}T12:00:00Z`), quantity: String(n) })));
  }
  finance = (await createWebhook(alice, { type: "email", to: "finance@example.com" })).id;
  await setChannelSubscriptions(alice, finance, [{ kind: "invoice.finalized", department: null }, { kind: "invoices.run", department: null }]);
  other = (await createWebhook(alice, { type: "email", to: "ops@example.com" })).id; // alerts only (the default)
});

const deliveries = (event: string) => db.webhookDelivery.findMany({ where: { event }, orderBy: { id: "asc" } });

/** The independent figure: the period's stored invoices per status and currency, summed in SQL. */
async function stored() {
  const { rows } = await pool.query<{ status: string; currency: string; count: number; total: string }>(
    "SELECT status::text, trim(currency) AS currency, count(*)::int AS count, sum(total)::numeric(20,2)::text AS total FROM invoices WHERE period = $1 AND status <> 'void' GROUP BY 1, 2 ORDER BY 1, 2",
    [PERIOD],
  );
  return rows;
}

describe("invoice notifications", () => {
  it("generating the drafts queues one run summary to the finance channel, with the stored totals", async () => {
    await generateDrafts(PERIOD, alice);
    const runs = await deliveries("invoices.run");
    expect(runs.map((d) => d.webhookId)).toEqual([finance]);
    const run = (runs[0]!.payload as { run: RunNotice }).run;
    expect(run).toMatchObject({ period: PERIOD, action: "drafts", by: "alice@test", finalized: null });
    expect(run.invoices).toEqual(await stored());
    expect(run.invoices).toEqual([expect.objectContaining({ status: "draft", count: 2 })]);
    // A customer's own regeneration is not a run.
    const stark = await db.customer.findUniqueOrThrow({ where: { key: "stark" } });
    await generateDrafts(PERIOD, alice, [stark.id]);
    expect(await deliveries("invoices.run")).toHaveLength(1);
  });

  it("finalizing queues each invoice's notice and the run's summary; the mail says what was finalized", async () => {
    const result = await bulkFinalize(alice, { period: PERIOD, dryRun: false });
    expect(result.finalized).toHaveLength(2);
    const notices = await deliveries("invoice.finalized");
    expect(notices.map((d) => d.webhookId)).toEqual([finance, finance]);
    const invoices = await db.invoice.findMany({ where: { period: PERIOD, status: "finalized" }, include: { customer: true }, orderBy: { number: "asc" } });
    expect(notices.map((d) => (d.payload as { invoice: FinalizedNotice }).invoice).sort((a, b) => a.number.localeCompare(b.number))).toEqual(
      invoices.map((i) => ({ id: i.id, number: `INV-${String(i.number).padStart(6, "0")}`, period: PERIOD, customer: i.customer!.name, currency: "USD", total: i.total.toFixed(2), dueDate: i.dueDate!.toISOString().slice(0, 10) })),
    );
    const summary = (await deliveries("invoices.run"))[1]!;
    expect((summary.payload as { run: RunNotice }).run).toMatchObject({ action: "finalize", finalized: 2, failed: 0, needsApproval: 0, invoices: await stored() });
    expect(await db.webhookDelivery.count({ where: { webhookId: other } })).toBe(0);

    mailbox.length = 0;
    await deliverDueWebhooks();
    const subjects = mailbox.map((m) => m.mail.subject).sort();
    const first = invoices[0]!;
    expect(subjects).toContain(`[AgentLedger] Invoice INV-${String(first.number).padStart(6, "0")} finalized for ${first.customer!.name} (${PERIOD})`);
    expect(subjects).toContain(`[AgentLedger] Invoice run summary: ${PERIOD}, finalized`);
    const runMail = mailbox.find((m) => m.mail.subject === `[AgentLedger] Invoice run summary: ${PERIOD}, finalized`)!;
    const total = (await stored())[0]!;
    expect(runMail.mail.text).toContain(`Finalized USD: 2 · ${formatMoney(total.total, "USD")}`);
    expect(runMail.envelopeTo).toEqual(["finance@example.com"]);
  });

  it("invoice notifications are subscribed organization-wide only: per department is a 400 and changes nothing", async () => {
    const d = await db.department.create({ data: { code: "FIN", name: "Finance" } });
    await expect(setChannelSubscriptions(alice, finance, [{ kind: "invoices.run", department: d.code }])).rejects.toMatchObject({ status: 400 });
    expect(await db.notificationSubscription.count({ where: { channelId: finance } })).toBe(2);
  });
});
