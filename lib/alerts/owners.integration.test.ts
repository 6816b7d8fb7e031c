// Department owners (issue 21): a department's alerts and monthly statement reach its owner's email without any
// subscription; unticking one stops it, the mail's unsubscribe link stops all. The statement mail, as a real SMTP
// server receives it, carries the showback PDF (a PDF that parses and states the department's total), a CSV link
// and the one-click unsubscribe header.
import { mailbox, smtpServer } from "@/tests/helpers/smtp-peer";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Decimal } from "@/lib/allocation/decimal";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { formatMoney } from "@/lib/format";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { sendDueReports, type Report } from "./digests";
import type { NotificationKind } from "./schemas";
import { getMySubscriptions, setMySubscriptions } from "./subscriptions";
import { unsubscribe } from "./unsubscribe";
import { deliverDueWebhooks, enqueueDeliveries } from "./webhooks";

const TZ = "Europe/Berlin";
const olga: UserCaller = { kind: "user", id: 2, email: "olga@test", name: "Olga", role: "viewer", departmentIds: null };
const dept: Record<string, number> = {};
// Tuesday 1 December 2026, 07:30 in Berlin: November's statements are due.
const FIRST_WORKING_DAY = new Date("2026-12-01T06:30:00Z");

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Acme', 'EUR', $1, now())", [TZ]);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now()), (2, 'olga@test', 'Olga', 'viewer', now())");
  for (const [code, owner] of [["MKT", 2], ["OPS", null]] as const) {
    dept[code] = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, owner_id, monthly_budget, updated_at) VALUES ($1, $1, $2, 1000, now()) RETURNING id", [code, owner])).rows[0]!.id;
    const agent = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ($1, $1, $2, now()) RETURNING id", [`${code}-bot`, dept[code]])).rows[0]!.id;
    for (let i = 0; i < 30; i++) {
      await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', $1, $2, 'llm.call', $3, $4, $5)", [
        `${code}${i}`, new Date(Date.parse("2026-11-01T00:30:00Z") + i * 86_400_000).toISOString(), agent, dept[code], new Decimal(i + 1).div(3).toFixed(10),
      ]);
    }
  }
  await rebuildRollups(pool);
});

afterAll(() => new Promise<void>((resolve) => smtpServer.close(() => resolve())));

const alertRoute = (kind: NotificationKind, department: string) =>
  db.$transaction((tx) => enqueueDeliveries(tx, "alert.opened", { alert: { kind, department, period: "2026-12", status: "open", message: "m", value: "1", threshold: "1" } }, new Date(), { kind, departmentId: dept[department]! }));

describe("department owners", () => {
  test("the monthly statement reaches the owner with the showback PDF attached, a CSV link and List-Unsubscribe", async () => {
    expect(await db.webhook.count({ where: { userId: olga.id } })).toBe(0);
    // Nobody subscribed to anything: only the owned department's statement is sent, to its owner.
    expect(await sendDueReports(FIRST_WORKING_DAY)).toBe(1);
    const deliveries = await db.webhookDelivery.findMany({ where: { event: "statement.monthly" }, include: { webhook: true } });
    expect(deliveries.map((d) => [d.webhook.userId, d.webhook.url, (d.payload as { report: Report }).report.department])).toEqual([[olga.id, "mailto:olga@test", "MKT"]]);

    // November in Berlin: 30 events of (i+1)/3 for i = 0..29, i.e. 465/3 = 155.00.
    const { rows } = await pool.query<{ cost: string }>("SELECT sum(cost)::text AS cost FROM usage_events WHERE department_id = $1 AND (timestamp AT TIME ZONE $2)::date BETWEEN '2026-11-01' AND '2026-11-30'", [dept.MKT, TZ]);
    const total = new Decimal(rows[0]!.cost).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
    expect(total).toBe("155.00");
    expect((deliveries[0]!.payload as { report: Report }).report).toMatchObject({ total, budget: "1000.00", budgetUsed: "15.5", lines: [{ label: "MKT-bot", cost: total }] });

    mailbox.length = 0;
    await deliverDueWebhooks(FIRST_WORKING_DAY);
    expect(mailbox).toHaveLength(1);
    const { envelopeTo, mail } = mailbox[0]!;
    expect(envelopeTo).toEqual(["olga@test"]);
    expect(mail.subject).toBe("[AgentLedger] Monthly statement: MKT (MKT), 2026-11-01 – 2026-11-30");
    expect(mail.text).toContain("Statement CSV: http://localhost:3000/api/v1/allocation/MKT?period=2026-11&format=csv");
    // mailparser folds List-* headers into one "list" object keyed by the part after "List-".
    const list = mail.headers.get("list") as { unsubscribe: { url: string }; "unsubscribe-post": { name: string } };
    expect(list.unsubscribe.url).toMatch(/^http:\/\/localhost:3000\/api\/v1\/unsubscribe\?token=/);
    expect(JSON.stringify(list["unsubscribe-post"])).toContain("List-Unsubscribe=One-Click");
    expect(mail.text).toContain(`Stop these emails: ${list.unsubscribe.url}`);

    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([["showback-MKT-2026-11.pdf", "application/pdf"]]);
    const pdf = mail.attachments[0]!.content;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Showback statement — MKT (MKT)");
    expect(text).toContain(`Total: ${formatMoney(total, "EUR")}`);
  });

  test("the owner gets the department's alerts by default, sees them in their subscriptions, and can untick one", async () => {
    const own = await db.webhook.findUniqueOrThrow({ where: { userId: olga.id } });
    expect(await alertRoute("budget", "MKT")).toBe(1);
    expect(await alertRoute("budget", "OPS")).toBe(0); // not hers
    expect(await alertRoute("digest.daily", "MKT")).toBe(0); // digests are subscribed to, not a default

    const mine = await getMySubscriptions(olga);
    expect(mine.owned).toEqual(["MKT"]);
    expect(mine.subscriptions).toEqual(["anomaly", "budget", "forecast", "statement.monthly"].map((kind) => ({ kind, department: "MKT" })));
    // Unticking the budget alerts (and adding a digest) keeps the rest: an opt-out, no stored copy of the defaults.
    await setMySubscriptions(olga, [
      { kind: "anomaly", department: "MKT" }, { kind: "forecast", department: "MKT" }, { kind: "statement.monthly", department: "MKT" }, { kind: "digest.daily", department: "OPS" },
    ]);
    expect(await db.notificationOptOut.findMany({ select: { kind: true, departmentId: true } })).toEqual([{ kind: "budget", departmentId: dept.MKT }]);
    expect(await db.notificationSubscription.findMany({ where: { channelId: own.id }, select: { kind: true } })).toEqual([{ kind: "digest.daily" }]);
    expect(await alertRoute("budget", "MKT")).toBe(0);
    expect((await getMySubscriptions(olga)).subscriptions.map((s) => `${s.kind}:${s.department}`)).toEqual(["anomaly:MKT", "digest.daily:OPS", "forecast:MKT", "statement.monthly:MKT"]);
    // Ticking it again removes the opt-out.
    await setMySubscriptions(olga, (await getMySubscriptions(olga)).subscriptions.concat({ kind: "budget", department: "MKT" }));
    expect(await db.notificationOptOut.count()).toBe(0);
    expect(await alertRoute("budget", "MKT")).toBe(1);
  });

  test("the unsubscribe link stops everything, defaults included", async () => {
    const own = await db.webhook.findUniqueOrThrow({ where: { userId: olga.id } });
    const list = mailbox[0]!.mail.headers.get("list") as { unsubscribe: { url: string } };
    const token = new URL(list.unsubscribe.url).searchParams.get("token")!;
    expect(await unsubscribe(token)).toBe(true);
    expect((await db.webhook.findUniqueOrThrow({ where: { id: own.id } })).active).toBe(false);
    expect(await alertRoute("anomaly", "MKT")).toBe(0);
    expect((await getMySubscriptions(olga)).active).toBe(false);
  });
});
