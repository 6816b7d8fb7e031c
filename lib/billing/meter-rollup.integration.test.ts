// Billing from the meter rollup against PostgreSQL: meter quantities, money-meter groups and invoice lines equal an
// independent computation over the raw rows before the fold, after it, with events arriving after a fold, a re-costed
// day, a meter redefined after its events, a unique_count meter, and folds racing each other and ingestion.
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { composeUsageLines } from "./compose";
import { foldMarkedDays, foldMeterRollup } from "./meter-rollup";
import { updateMeter } from "./meters";
import { Dec } from "./money";
import { billingPeriod, type BillingPeriod } from "./period";
import { rateCustomers } from "./rate-customers";
import { costByCurrency, isCostMeter, meterQuantities, type MeterDef } from "./usage";

let zone = "America/New_York";
const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };

type Ev = {
  customerId: number; at: Date; type: string; quantity?: string; cost?: string; originalCost?: string; originalCurrency?: string;
  properties?: Record<string, unknown>; taskType?: string; handledBy?: string; taskStatus?: string; sign?: number;
};

let seq = 0;
async function insert(events: Ev[]) {
  await db.$executeRaw(Prisma.sql`
    INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, customer_id, quantity, cost, original_cost, original_currency,
      properties, task_type, handled_by, task_status, event_sign)
    SELECT 'test', k, t, ty, 1, c, q, co, oc, ocur, p, tt, h, s, sg
    FROM unnest(${events.map(() => `r${++seq}`)}::text[], ${events.map((e) => e.at)}::timestamptz[], ${events.map((e) => e.type)}::text[],
      ${events.map((e) => e.customerId)}::int[], ${events.map((e) => e.quantity ?? "1")}::numeric[], ${events.map((e) => e.cost ?? "0")}::numeric[],
      ${events.map((e) => e.originalCost ?? null)}::numeric[], ${events.map((e) => e.originalCurrency ?? null)}::text[],
      ${events.map((e) => JSON.stringify(e.properties ?? {}))}::jsonb[], ${events.map((e) => e.taskType ?? null)}::text[],
      ${events.map((e) => e.handledBy ?? null)}::text[], ${events.map((e) => e.taskStatus ?? null)}::text[], ${events.map((e) => e.sign ?? 1)}::smallint[])
      AS v(k, t, ty, c, q, co, oc, ocur, p, tt, h, s, sg)`);
}

// Deterministic events over late September to early November, many near local midnight in New York.
let random = 7;
const next = (n: number) => {
  random = (random * 1103515245 + 12345) % 2 ** 31;
  return Math.floor(random / 65_536) % n;
};
function events(customers: number[], n: number, from = Date.UTC(2026, 8, 29), days = 35): Ev[] {
  return Array.from({ length: n }, () => {
    const at = new Date(from + next(days) * 86_400_000 + (next(2) ? next(24) * 3_600_000 : 3_600_000 * (3 + next(3)) + next(3_600_000)));
    const customerId = customers[next(customers.length)]!;
    const pick = next(6);
    if (pick === 0) return { customerId, at, type: "conv", properties: { channel: next(2) ? "chat" : "voice", user: `u${next(5)}` }, sign: next(8) ? 1 : -1 };
    if (pick === 1) return { customerId, at, type: "action", quantity: `${next(50)}.${next(1000)}` };
    if (pick === 2) return { customerId, at, type: "doc", properties: { pages: next(30) - 3, latency: next(900) - 100 } };
    if (pick === 3) return { customerId, at, type: "llm", cost: `0.${next(99_999)}`, ...(next(3) ? {} : { originalCost: `1.${next(999)}`, originalCurrency: "EUR" }) };
    return {
      customerId, at, type: "task", taskType: next(3) ? "case" : "other", handledBy: next(4) ? "agent" : "human",
      taskStatus: ["completed", "escalated", "failed"][next(3)], sign: next(10) ? 1 : -1,
    };
  });
}

type Row = {
  customerId: number; type: string; quantity: string; cost: string; originalCost: string | null; currency: string | null;
  properties: Record<string, unknown>; taskType: string | null; handledBy: string | null; taskStatus: string | null; sign: number; day: string;
};

/** The raw rows of a range, rated in JavaScript: the independent computation. */
async function expected(meters: MeterDef[], range: { start: Date; end: Date }) {
  const rows = await db.$queryRaw<Row[]>`
    SELECT customer_id AS "customerId", type, quantity::text, cost::text, original_cost::text AS "originalCost", trim(original_currency) AS currency,
      properties, task_type AS "taskType", handled_by AS "handledBy", task_status AS "taskStatus", event_sign AS sign,
      to_char(timestamp AT TIME ZONE ${zone}, 'YYYY-MM-DD') AS day
    FROM usage_events WHERE timestamp >= ${range.start} AND timestamp < ${range.end} AND customer_id IS NOT NULL`;
  const matches = (m: MeterDef, r: Row, outcome = true) => {
    if (m.source === "tasks") {
      if (r.taskType === null || (m.taskType && r.taskType !== m.taskType)) return false;
      if (outcome && m.handledBy && r.handledBy !== m.handledBy) return false;
      if (outcome && m.taskStatuses.length > 0 && !m.taskStatuses.includes(r.taskStatus ?? "")) return false;
    }
    if (m.eventType && r.type !== m.eventType) return false;
    return Object.entries((m.propertyFilter ?? {}) as Record<string, unknown>).every(([k, v]) => r.properties[k] === v);
  };
  const quantities = new Map<string, Dec>();
  const escalations = new Map<string, [Dec, Dec]>();
  const costs = new Map<string, Dec>();
  for (const m of meters) {
    const distinct = new Map<number, Set<string>>();
    for (const r of rows) {
      const key = `${r.customerId}|${m.id}`;
      if (m.source === "tasks" && matches(m, r, false) && r.handledBy === "agent") {
        const [t, x] = escalations.get(key) ?? [new Dec(0), new Dec(0)];
        escalations.set(key, [t.plus(r.sign), r.taskStatus === "escalated" ? x.plus(r.sign) : x]);
      }
      if (!matches(m, r)) continue;
      const prop = m.property ? r.properties[m.property] : undefined;
      const value = m.aggregation === "count" ? new Dec(r.sign) : m.aggregation === "sum_quantity" ? new Dec(r.quantity)
        : m.property === "cost" ? new Dec(r.cost) : typeof prop === "number" ? new Dec(prop) : null;
      if (m.aggregation === "unique_count") {
        if (prop !== undefined && prop !== null) distinct.set(r.customerId, (distinct.get(r.customerId) ?? new Set()).add(String(prop)));
        continue;
      }
      if (value === null) continue;
      if (isCostMeter(m)) {
        const group = `${r.customerId}|${m.id}|${r.currency ?? "USD"}|${r.day}`;
        costs.set(group, (costs.get(group) ?? new Dec(0)).plus(r.currency ? r.originalCost! : r.cost));
        continue;
      }
      const prev = quantities.get(key);
      quantities.set(key, prev === undefined ? value : m.aggregation === "max" ? Dec.max(prev, value) : prev.plus(value));
    }
    for (const [customerId, set] of distinct) quantities.set(`${customerId}|${m.id}`, new Dec(set.size));
  }
  return { quantities, escalations, costs };
}

let customers: number[];
let meters: MeterDef[];
let period: BillingPeriod;

/** meterQuantities, costByCurrency and the rated invoice lines, as comparable text. */
async function actual(range: { start: Date; end: Date } = period) {
  const plain = meters.filter((m) => !isCostMeter(m));
  const [readings, groups] = await Promise.all([meterQuantities(plain, range), costByCurrency(meters.filter(isCostMeter), range, { currency: "USD" })]);
  const quantities = new Map<string, Dec>();
  const escalations = new Map<string, [Dec, Dec]>();
  for (const [c, byMeter] of readings.quantities) for (const [m, q] of byMeter) if (!q.isZero()) quantities.set(`${c}|${m}`, q);
  for (const [c, byMeter] of readings.escalations) for (const [m, s] of byMeter) if (!s.agentTasks.isZero() || !s.escalated.isZero()) escalations.set(`${c}|${m}`, [s.agentTasks, s.escalated]);
  const costs = new Map<string, Dec>();
  for (const g of groups) costs.set(`${g.customerId}|${g.meterId}|${g.currency}|${g.day}`, (costs.get(`${g.customerId}|${g.meterId}|${g.currency}|${g.day}`) ?? new Dec(0)).plus(g.amount));
  return { quantities, escalations, costs };
}

const text = (m: Map<string, Dec | [Dec, Dec]>) =>
  [...m].filter(([, v]) => (Array.isArray(v) ? !v[0].isZero() || !v[1].isZero() : !v.isZero())).map(([k, v]) => `${k}=${Array.isArray(v) ? v.map(String).join("/") : v.toString()}`).sort();

async function expectExact(range: { start: Date; end: Date } = period) {
  const [want, got] = await Promise.all([expected(meters, range), actual(range)]);
  expect(text(got.quantities)).toEqual(text(want.quantities));
  expect(text(got.escalations)).toEqual(text(want.escalations));
  expect(text(got.costs)).toEqual(text(want.costs));
  expect(want.quantities.size).toBeGreaterThan(0);
}

/** Invoice lines as the draft run composes them (every amount, quantity and tier). */
async function lines(): Promise<string[]> {
  const rated = await rateCustomers(period);
  return [...rated].sort(([a], [b]) => a - b).flatMap(([id, r]) =>
    composeUsageLines({ currency: r.currency, charges: r.charges, minimumSpend: r.minimumSpend, commitment: null }).lines.map((l) =>
      `${id} ${l.kind} ${l.meterId} q=${l.quantity} p=${l.unitPrice} a=${l.amount} ${JSON.stringify(l.tiers)} ${JSON.stringify(l.usageRef?.outcome ?? null)}`));
}

const marks = async () => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM meter_rollup_marks`)[0]!.n);
const rollupRows = async () => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM meter_rollup_daily`)[0]!.n);

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: zone } });
  forgetOrgSettings();
  period = billingPeriod("2026-10", zone);
  const defs: Prisma.MeterCreateInput[] = [
    { key: "chats", name: "Chats", eventType: "conv", propertyFilter: { channel: "chat" }, aggregation: "count" },
    { key: "actions", name: "Actions", eventType: "action", aggregation: "sum_quantity" },
    { key: "pages", name: "Pages", eventType: "doc", aggregation: "sum_property", property: "pages" },
    { key: "latency", name: "Peak latency", eventType: "doc", aggregation: "max", property: "latency" },
    { key: "llm_cost", name: "LLM cost", eventType: "llm", aggregation: "sum_property", property: "cost" },
    { key: "users", name: "Users", eventType: "conv", aggregation: "unique_count", property: "user" },
    { key: "cases", name: "Cases", source: "tasks", taskType: "case", handledBy: "agent", taskStatuses: ["completed"], aggregation: "count" },
  ];
  meters = [];
  for (const data of defs) meters.push(await db.meter.create({ data }));
  const plan = await db.pricePlan.create({
    data: {
      key: "p", name: "P", minimumSpend: "50.00", effectiveFrom: new Date("2020-01-01T00:00:00Z"),
      charges: {
        create: meters.map((m): Prisma.ChargeUncheckedCreateWithoutPlanInput =>
          isCostMeter(m) ? { meterId: m.id, model: "markup", markupPercent: "20" }
          : m.key === "actions" ? { meterId: m.id, model: "graduated", tiers: [{ upTo: 100, unitPrice: "0.04", flatFee: "0" }, { upTo: null, unitPrice: "0.03", flatFee: "1" }] }
          : { meterId: m.id, model: "per_unit", unitPrice: "0.37" }),
      },
    },
  });
  customers = [];
  for (const key of ["a", "b", "c"]) customers.push((await db.customer.create({ data: { key, name: key, plans: { create: { planId: plan.id, effectiveFrom: new Date("2020-01-01T00:00:00Z") } } } })).id);
  await insert(events(customers, 1500));
});

describe("meter rollup", () => {
  let before: string[];

  it("is exact before any fold (every day marked: raw events)", async () => {
    expect(await marks()).toBeGreaterThan(0);
    await expectExact();
    before = await lines();
    expect(before.length).toBeGreaterThan(10);
  });

  it("folds every marked day, two folds at once taking them once, and rates the same lines from the rollup", async () => {
    const days = Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(DISTINCT day) AS n FROM meter_rollup_marks`)[0]!.n);
    const [a, b] = await Promise.all([foldMeterRollup(1000), foldMeterRollup(1000)]);
    expect(a.days + b.days).toBe(days);
    expect(await marks()).toBe(0);
    expect(await rollupRows()).toBeGreaterThan(0);
    await expectExact();
    expect(await lines()).toEqual(before);
    // The clean days really come from the rollup: a row changed behind the fold's back shows.
    const actions = meters.find((m) => m.key === "actions")!;
    const where = Prisma.sql`meter_id = ${actions.id} AND customer_id = ${customers[0]} AND day = (SELECT min(day) FROM meter_rollup_daily WHERE meter_id = ${actions.id} AND customer_id = ${customers[0]} AND day >= '2026-10-01')`;
    await db.$executeRaw(Prisma.sql`UPDATE meter_rollup_daily SET value = value + 1000 WHERE ${where}`);
    const bumped = (await meterQuantities([actions], period)).quantities.get(customers[0]!)!.get(actions.id)!;
    await db.$executeRaw(Prisma.sql`UPDATE meter_rollup_daily SET value = value - 1000 WHERE ${where}`);
    expect(bumped.minus((await meterQuantities([actions], period)).quantities.get(customers[0]!)!.get(actions.id)!).toString()).toBe("1000");
    // A partial last day (a customer link's "so far") reads that day raw.
    await expectExact({ start: period.start, end: new Date(Date.UTC(2026, 9, 17, 15, 20)) });
  });

  it("counts events arriving after a fold at once, and after the next fold", async () => {
    await insert(events(customers, 200, Date.UTC(2026, 9, 10), 5));
    expect(await marks()).toBeGreaterThan(0);
    await expectExact();
    await foldMarkedDays();
    expect(await marks()).toBe(0);
    await expectExact();
  });

  it("follows a re-costed day (an UPDATE of its events, as the recompute engine does)", async () => {
    await db.$executeRaw`UPDATE usage_events SET cost = cost * 3 + 0.01, quantity = quantity + 1 WHERE timestamp >= '2026-10-12T04:00:00Z' AND timestamp < '2026-10-13T04:00:00Z'`;
    await expectExact();
    await foldMarkedDays();
    await expectExact();
  });

  it("follows a meter redefined after its events exist", async () => {
    await updateMeter(admin, "chats", { propertyFilter: { channel: "voice" } });
    await updateMeter(admin, "latency", { property: "pages" });
    meters = await db.meter.findMany({ orderBy: { id: "asc" } });
    await expectExact();
    await foldMarkedDays();
    expect(await marks()).toBe(0);
    await expectExact();
  });

  it("follows a time zone change (every day re-marked, rows re-keyed by the new local days)", async () => {
    zone = "Asia/Tokyo";
    await db.organization.update({ where: { id: 1 }, data: { timeZone: zone } });
    forgetOrgSettings();
    period = billingPeriod("2026-10", zone);
    await expectExact();
    await foldMarkedDays();
    expect(await marks()).toBe(0);
    await expectExact();
  });

  it("stays exact while events arrive during a fold", async () => {
    await Promise.all([foldMarkedDays(), ...Array.from({ length: 5 }, (_, i) => insert(events(customers, 50, Date.UTC(2026, 9, 2 + i * 5), 3)))]);
    await expectExact();
    await foldMarkedDays();
    await expectExact();
  });
});
