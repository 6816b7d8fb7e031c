// Outcome-based pricing against PostgreSQL: task meters counted by the one meter scan equal an independent count of
// the raw task rows; floor, cap and the success-rate guarantee on real drafts.
import fc from "fast-check";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as metersGet } from "@/app/api/v1/meters/route";
import { updateAgent } from "@/lib/admin/catalog";
import { agentUpdate } from "@/lib/admin/schemas";
import { createApiKey } from "@/lib/auth/api-keys";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { seedBasics } from "@/tests/helpers/db";
import { generateDrafts } from "./generate";
import { finalizeInvoice } from "./lifecycle";
import { meterCreate, meterList } from "./meter-schemas";
import { createMeter, updateMeter } from "./meters";
import { billingPeriod } from "./period";
import { getInvoice } from "./queries";
import { createCustomer } from "./test-fixtures";
import { meterQuantities } from "./usage";

const finance: UserCaller = { kind: "user", id: 1, email: "finance@test", name: "Finance", role: "finance", departmentIds: null };
const oct = (day: number, hour = 12) => new Date(Date.UTC(2026, 9, day, hour));
const STATUSES = ["completed", "escalated", "failed", null] as const;
const HANDLERS = ["agent", "human", null] as const;
const TYPES = ["case_resolution", "ticket_triage", null] as const;

type Task = { customerId: number | null; agentId: number; at: Date; type: string; taskType: string | null; handledBy: string | null; status: string | null; sign?: number; late?: boolean };

let seq = 0;
async function insertTasks(tasks: Task[]) {
  if (tasks.length === 0) return;
  await db.$executeRaw(Prisma.sql`
    INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, customer_id, task_type, handled_by, task_status, event_sign, late)
    SELECT 'test', k, t, ty, a, c, tt, h, s, sg, l
    FROM unnest(${tasks.map(() => `t${++seq}`)}::text[], ${tasks.map((t) => t.at)}::timestamptz[], ${tasks.map((t) => t.type)}::text[],
                ${tasks.map((t) => t.agentId)}::int[], ${tasks.map((t) => t.customerId)}::int[], ${tasks.map((t) => t.taskType)}::text[],
                ${tasks.map((t) => t.handledBy)}::text[], ${tasks.map((t) => t.status)}::text[], ${tasks.map((t) => t.sign ?? 1)}::smallint[],
                ${tasks.map((t) => t.late ?? false)}::boolean[])
         AS v(k, t, ty, a, c, tt, h, s, sg, l)`);
}

let agents: { resolver: number; other: number };

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  const [resolver, other] = await Promise.all([
    db.agent.create({ data: { key: "resolver", name: "Resolver" } }),
    db.agent.create({ data: { key: "other", name: "Other" } }),
  ]);
  agents = { resolver: resolver.id, other: other.id };
});

async function outcomePlan(key: string, charge: Partial<Prisma.ChargeUncheckedCreateWithoutPlanInput> = {}) {
  const meter = await db.meter.create({
    data: { key: `${key}_cases`, name: "Cases resolved by an agent", unit: "case", aggregation: "count", source: "tasks", taskType: "case_resolution", handledBy: "agent", taskStatuses: ["completed"] },
  });
  const plan = await db.pricePlan.create({
    data: { key, name: key, effectiveFrom: new Date("2020-01-01T00:00:00Z"), charges: { create: { meterId: meter.id, model: "per_unit", unitPrice: "4.00", ...charge } } },
  });
  return { meter, plan };
}

describe("task meters", () => {
  it("count exactly the task rows their filters select, per customer, net of reversals (property against the raw rows)", async () => {
    const [c1, c2] = await Promise.all([db.customer.create({ data: { key: "tm1", name: "TM1" } }), db.customer.create({ data: { key: "tm2", name: "TM2" } })]);
    const period = billingPeriod("2026-10", "UTC");
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            customer: fc.constantFrom(c1.id, c2.id, null),
            agent: fc.constantFrom(agents.resolver, agents.other),
            day: fc.integer({ min: 1, max: 33 }), // 32 and 33 fall in November: outside the period
            taskType: fc.constantFrom(...TYPES),
            handledBy: fc.constantFrom(...HANDLERS),
            status: fc.constantFrom(...STATUSES),
            sign: fc.constantFrom(1, 1, 1, -1),
          }),
          { maxLength: 60 },
        ),
        fc.record({ taskType: fc.constantFrom("case_resolution", null), handledBy: fc.constantFrom("agent", "human", null), agent: fc.boolean(), statuses: fc.subarray(["completed", "escalated", "failed"]) }),
        async (rows, f) => {
          await db.usageEvent.deleteMany({ where: { source: "test" } });
          await insertTasks(
            rows.map((r) => ({ customerId: r.customer, agentId: r.agent, at: oct(r.day), type: "task.completed", taskType: r.taskType, handledBy: r.taskType ? r.handledBy : null, status: r.taskType ? r.status : null, sign: r.sign })),
          );
          const meter = { id: 1, key: "m", eventType: null, propertyFilter: null, aggregation: "count", property: null, source: "tasks", taskType: f.taskType, handledBy: f.handledBy, agentId: f.agent ? agents.resolver : null, taskStatuses: f.statuses };
          const { quantities, escalations } = await meterQuantities([meter], period);
          // Independently: read the rows back and filter them in JavaScript.
          const raw = await db.usageEvent.findMany({ where: { source: "test" }, select: { customerId: true, agentId: true, timestamp: true, taskType: true, handledBy: true, taskStatus: true, eventSign: true } });
          const inScope = (r: (typeof raw)[number], customerId: number) =>
            r.customerId === customerId && r.timestamp >= period.start && r.timestamp < period.end && r.taskType !== null && (!f.taskType || r.taskType === f.taskType) && (!f.agent || r.agentId === agents.resolver);
          for (const customerId of [c1.id, c2.id]) {
            const count = (pred: (r: (typeof raw)[number]) => boolean) => raw.filter((r) => inScope(r, customerId) && pred(r)).reduce((s, r) => s + r.eventSign, 0);
            const expected = count((r) => (!f.handledBy || r.handledBy === f.handledBy) && (f.statuses.length === 0 || f.statuses.includes(r.taskStatus ?? "")));
            expect(Number(quantities.get(customerId)?.get(1) ?? 0)).toBe(expected);
            const stats = escalations.get(customerId)?.get(1);
            expect(Number(stats?.agentTasks ?? 0)).toBe(count((r) => r.handledBy === "agent"));
            expect(Number(stats?.escalated ?? 0)).toBe(count((r) => r.handledBy === "agent" && r.taskStatus === "escalated"));
          }
        },
      ),
      { numRuns: 25 },
    );
    await db.usageEvent.deleteMany({ where: { source: "test" } });
  }, 120_000);
});

describe("outcome charges on drafts", () => {
  const cases = (customerId: number, n: number, over: Partial<Task> = {}): Task[] =>
    Array.from({ length: n }, (_, i) => ({ customerId, agentId: agents.resolver, at: oct(1 + (i % 28)), type: "task.completed", taskType: "case_resolution", handledBy: "agent", status: "completed", ...over }));

  it("bills resolved cases per outcome with the escalation rate on the line, a floor, a cap and a guarantee credit", async () => {
    const { plan } = await outcomePlan("outcomes", { minimumAmount: "100.00", maximumAmount: "1000.00", guaranteeMaxEscalationRate: "0.15", guaranteeCreditPercent: "10" });
    const [few, many, steady] = await Promise.all([createCustomer("few", plan.id), createCustomer("many", plan.id), createCustomer("steady", plan.id)]);
    await insertTasks([
      // few: 20 resolved (80.00 → floor 100.00), 5 escalated of 25 agent tasks = 20 % > 15 % → 10 % of 100.00 credited
      ...cases(few.id, 20),
      ...cases(few.id, 5, { status: "escalated" }),
      ...cases(few.id, 7, { handledBy: "human" }), // humans' cases are neither billed nor in the rate
      // many: 300 resolved (1,200.00 → cap 1,000.00), 30 escalated of 330 = 9.09 %: no credit
      ...cases(many.id, 300),
      ...cases(many.id, 30, { status: "escalated" }),
      ...cases(many.id, 4, { taskType: "ticket_triage" }),
      // steady: 40 resolved (160.00), 1 failed, 6 escalated of 47 = 12.8 %: no credit
      ...cases(steady.id, 40),
      ...cases(steady.id, 1, { status: "failed" }),
      ...cases(steady.id, 6, { status: "escalated" }),
    ]);
    await generateDrafts("2026-10", finance, [few.id, many.id, steady.id]);
    const invoice = async (customerId: number) => getInvoice(finance, (await db.invoice.findFirstOrThrow({ where: { customerId, period: "2026-10" } })).id);

    const a = await invoice(few.id);
    expect(a.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([
      ["usage", "20", "100.00"],
      ["guarantee_credit", "25", "-10.00"],
    ]);
    expect(a.lines[0]).toMatchObject({ unitPrice: null, outcome: { taskType: "case_resolution", handledBy: "agent", agentTasks: "25", escalated: "5", escalationRate: "0.2" } });
    expect(a.lines[0]!.usageRef).toMatchObject({ limit: "floor", modelAmount: "80" });
    expect(a.lines[1]!.description).toContain("escalation rate 20 % above 15 %");
    expect(a).toMatchObject({ subtotal: "90.00", total: "90.00" });

    const b = await invoice(many.id);
    expect(b.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([["usage", "300", "1000.00"]]);
    expect(b.lines[0]!.usageRef).toMatchObject({ limit: "cap", modelAmount: "1200" });
    expect(b.lines[0]!.outcome?.escalationRate?.slice(0, 6)).toBe("0.0909");

    const c = await invoice(steady.id);
    expect(c.lines.map((l) => [l.kind, l.quantity, l.unitPrice, l.amount])).toEqual([["usage", "40", "4", "160.00"]]);
    expect(c.total).toBe("160.00");

    // Regenerating replaces the computed lines, guarantee credit included, without duplicating them.
    await generateDrafts("2026-10", finance, [few.id]);
    expect((await invoice(few.id)).lines.map((l) => l.kind)).toEqual(["usage", "guarantee_credit"]);
  });

  it("carries a late outcome into the next draft net of the guarantee credit already given", async () => {
    const { plan } = await outcomePlan("late_outcomes", { guaranteeMaxEscalationRate: "0.15", guaranteeCreditPercent: "10" });
    const late = await createCustomer("late", plan.id);
    // 30 resolved (120.00), 6 escalated of 36 = 16.7 % → credit 12.00: 108.00 billed.
    await insertTasks([...cases(late.id, 30), ...cases(late.id, 6, { status: "escalated" })]);
    await generateDrafts("2026-10", finance, [late.id]);
    const oct = await db.invoice.findFirstOrThrow({ where: { customerId: late.id, period: "2026-10" } });
    expect(oct.total.toString()).toBe("108");
    await finalizeInvoice(oct.id, finance);
    // One more resolved case arrives late: 124.00 − 12.40 (6 of 37 = 16.2 %) = 111.60 → 3.60 carried.
    await insertTasks(cases(late.id, 1, { late: true }));
    await generateDrafts("2026-11", finance, [late.id]);
    const nov = await getInvoice(finance, (await db.invoice.findFirstOrThrow({ where: { customerId: late.id, period: "2026-11" } })).id);
    expect(nov.lines.filter((l) => l.kind === "late_adjustment").map((l) => l.amount)).toEqual(["3.60"]);
  });
});

describe("meters API", () => {
  const fieldErrors = (input: unknown) => (meterCreate.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

  it("names the field and the reason for a bad meter", () => {
    expect(fieldErrors({ key: "x", name: "X", aggregation: "count", taskType: "case_resolution" })).toEqual(["taskType: Only meters over tasks (source tasks) filter by task"]);
    expect(fieldErrors({ key: "x", name: "X", aggregation: "count", source: "tasks", agent: "resolver", handledBy: "human" })).toEqual([
      "handledBy: A meter of one agent's tasks counts tasks agents handled: choose agent or leave it empty",
    ]);
    expect(fieldErrors({ key: "x", name: "X", aggregation: "sum_property", source: "tasks" })).toEqual(["property: Required for sum_property: the column or property to aggregate"]);
    expect(fieldErrors({ key: "x", name: "X", aggregation: "count", source: "tasks", taskStatuses: ["completed", "resolved"] })[0]).toMatch(/^taskStatuses\.1: /);
  });

  it("creates an outcome meter by agent key, checks a change against the stored meter, audits, and lists it", async () => {
    const meter = await createMeter(finance, meterCreate.parse({ key: "api_cases", name: "Cases", unit: "case", aggregation: "count", source: "tasks", taskType: "case_resolution", agent: "resolver", taskStatuses: ["completed"] }));
    expect(meter).toMatchObject({ source: "tasks", agent: "resolver", handledBy: null, taskStatuses: ["completed"] });
    await expect(updateMeter(finance, "api_cases", { handledBy: "human" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(createMeter(finance, meterCreate.parse({ key: "ghost", name: "G", aggregation: "count", source: "tasks", agent: "nobody" }))).rejects.toMatchObject({ status: 400 });
    expect(await db.meter.count({ where: { key: "ghost" } })).toBe(0);
    expect(await updateMeter(finance, "api_cases", { agent: null, handledBy: "agent" })).toMatchObject({ agent: null, handledBy: "agent", unit: "case", taskStatuses: ["completed"] });
    expect(await db.auditLog.count({ where: { entity: "meter", entityId: String(meter.id) } })).toBe(2);

    const key = (await createApiKey({ name: "read", scopes: ["read"] })).secret;
    const res = await metersGet(new NextRequest("http://localhost/api/v1/meters", { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(meterList.parse(await res.json()).items.find((m) => m.key === "api_cases")).toMatchObject({ taskType: "case_resolution", handledBy: "agent" });
  });
});

describe("agent billing mode", () => {
  it("is set and cleared by API, audited, and refuses anything but action or outcome", async () => {
    const admin: UserCaller = { ...finance, role: "admin" };
    expect(await updateAgent(admin, "resolver", agentUpdate.parse({ billingMode: "outcome" }))).toMatchObject({ billingMode: "outcome" });
    expect(agentUpdate.safeParse({ billingMode: "OutcomeBased" }).error?.issues[0]?.path).toEqual(["billingMode"]);
    expect(await updateAgent(admin, "resolver", agentUpdate.parse({ billingMode: null }))).toMatchObject({ billingMode: null });
    expect(await db.auditLog.count({ where: { action: "agent.update", entityId: String(agents.resolver) } })).toBe(2);
  });
});
