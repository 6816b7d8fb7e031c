// The demo seed's outcome-priced customer: Wayne Retail Group pays per case an agent resolved without escalation; its
// draft carries a non-zero outcome line equal to an independent count of the raw task rows.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { forgetOrgSettings } from "@/lib/org";
import { generateDrafts } from "./generate";
import { getInvoice } from "./queries";

const finance: UserCaller = { kind: "user", id: 1, email: "finance@test", name: "Finance", role: "finance", departmentIds: null };

describe("demo seed: outcome-priced customer", () => {
  it("bills Wayne's resolved cases per outcome beside its conversations", { timeout: 180_000 }, async () => {
    execFileSync("npx", ["tsx", "prisma/seed.ts", "--events", "6000", "--days", "31", "--end", "2026-11-01", "--reset"], { stdio: "pipe" }); // this file's DATABASE_URL
    forgetOrgSettings();
    const wayne = await db.customer.findUniqueOrThrow({ where: { key: "wayne" } });
    await generateDrafts("2026-10", finance, [wayne.id]);
    const invoice = await getInvoice(finance, (await db.invoice.findFirstOrThrow({ where: { customerId: wayne.id, period: "2026-10" } })).id);
    const outcome = invoice.lines.find((l) => l.meter?.key === "cases_resolved")!;
    const tz = (await pool.query("SELECT time_zone FROM organizations WHERE id = 1")).rows[0].time_zone as string;
    const raw = await pool.query<{ resolved: string; agent: string; escalated: string }>(
      `SELECT count(*) FILTER (WHERE handled_by = 'agent' AND task_status = 'completed')::text AS resolved,
              count(*) FILTER (WHERE handled_by = 'agent')::text AS agent,
              count(*) FILTER (WHERE handled_by = 'agent' AND task_status = 'escalated')::text AS escalated
       FROM usage_events WHERE customer_id = $1 AND task_type = 'case_resolution' AND to_char(timestamp AT TIME ZONE $2, 'YYYY-MM') = '2026-10'`,
      [wayne.id, tz],
    );
    expect(Number(raw.rows[0]!.resolved)).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ kind: "usage", quantity: raw.rows[0]!.resolved, outcome: { taskType: "case_resolution", handledBy: "agent", agentTasks: raw.rows[0]!.agent, escalated: raw.rows[0]!.escalated } });
    expect(Number(outcome.amount)).toBeGreaterThanOrEqual(200); // the monthly floor
    expect(invoice.lines.some((l) => l.meter?.key === "conversations")).toBe(true);
    expect(invoice.taxTotal).toBe("0.00"); // no tax country: untaxed
  });

  it("taxes the German customer at German VAT and prints the US customer's exemption (same seed)", async () => {
    const [globex, umbrella] = await Promise.all(["globex", "umbrella"].map((key) => db.customer.findUniqueOrThrow({ where: { key } })));
    await generateDrafts("2026-10", finance, [globex!.id, umbrella!.id]);
    const draft = async (customerId: number) => getInvoice(finance, (await db.invoice.findFirstOrThrow({ where: { customerId, period: "2026-10" } })).id);
    const de = await draft(globex!.id);
    const vat = de.lines.filter((l) => l.kind === "tax");
    expect(vat.map((l) => l.description)).toEqual(["VAT 19% (standard, DE)"]);
    expect(Number(de.taxTotal)).toBeGreaterThan(0);
    expect(de.taxTotal).toBe(vat[0]!.amount);
    const us = await draft(umbrella!.id);
    expect(us.taxTotal).toBe("0.00");
    expect(JSON.stringify(us.lines.filter((l) => l.kind === "tax"))).toContain("E-0000-0000");
  });
});
