// Re-costing against real PostgreSQL: a price change made while ingestion runs, previewed and applied as one
// recompute run (linked to the change, audited), with ingestion still running. Afterwards the rollups equal the raw
// events, each affected event's cost equals an independent decimal.js computation from the new price, unaffected
// events are unchanged, a finalized invoice is frozen and the next draft carries the difference; an alias for an
// unpriced model prices its events and the unpriced counts drop to 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { createAlias } from "@/lib/pricing/admin";
import { createModelPrice, updateModelPrice } from "@/lib/admin/catalog";
import { generateDrafts } from "@/lib/billing/generate";
import { finalizeInvoice } from "@/lib/billing/lifecycle";
import { getInvoice } from "@/lib/billing/queries";
import { createCatalog, createCustomer } from "@/lib/billing/test-fixtures";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { getRecomputeRun, processRecomputeRun } from "@/lib/recompute/runs";
import { expectedCost, ingest, totalsInOneSnapshot, type Price } from "@/lib/recompute/test-utils";
import { seedBasics } from "@/tests/helpers/db";
import { applyRecost, pendingRecost } from "./recost";
import { recostApplied, recostApply, recostPendingResponse } from "./schemas";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const FROM = new Date("2025-01-01T00:00:00Z");
// The ids events carry → the price model they stand for (by the documented matching rules: exact, case-insensitive,
// a dated snapshot takes its family's price).
const FAMILY: Record<string, string> = { "acme-large": "acme-large", "ACME-Large": "acme-large", "acme-large-20261001": "acme-large", "acme-small": "acme-small" };
const prices: Price[] = [
  { model: "acme-large", from: FROM, to: null, input: "2.00", output: "8.00", cacheRead: null },
  { model: "acme-small", from: FROM, to: null, input: "0.40", output: "1.60", cacheRead: null },
];

type Stored = { id: string; model: string | null; ts: Date; reported: string | null; computed: string | null; cost: string; unpriced: boolean; input: string; output: string };
async function stored(): Promise<Stored[]> {
  const { rows } = await pool.query<Stored>(`
    SELECT id::text AS id, model, timestamp AS ts, reported_cost::text AS reported, computed_cost::text AS computed, cost::text AS cost,
      unpriced, input_tokens::text AS input, output_tokens::text AS output FROM usage_events`);
  return rows;
}

const expected = (e: Stored) => {
  const family = e.model ? FAMILY[e.model] : undefined;
  return family ? expectedCost(prices, family, e.ts, { input: Number(e.input), output: Number(e.output), cacheRead: 0 }) : null;
};

let seq = 0;
function events(n: number, month: "2026-10" | "2026-11", extra: Record<string, unknown> = {}) {
  const models = Object.keys(FAMILY).concat("mystery-x");
  return Array.from({ length: n }, (_, i) => ({
    id: `e-${++seq}`,
    timestamp: `${month}-${String(1 + (seq % 28)).padStart(2, "0")}T${String(seq % 24).padStart(2, "0")}:15:00Z`,
    agent: `a${seq % 3}`,
    type: "llm.call",
    model: models[(seq + i) % models.length],
    department: seq % 2 ? "ops" : "sales",
    tokens: { input: 1000 + ((seq * 7919) % 400_000), output: (seq * 104_729) % 30_000 },
    ...(seq % 9 === 0 ? { cost: { amount: "0.25", currency: "USD" } } : {}),
    ...extra,
  }));
}

async function drive(runId: number) {
  while ((await processRecomputeRun(runId)) === "more");
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.user.create({ data: { id: 1, email: "admin@test", name: "Admin", role: "admin" } }).catch(() => {});
  await db.department.createMany({ data: [{ code: "ops", name: "Ops" }, { code: "sales", name: "Sales" }] });
  for (const p of prices) {
    await createModelPrice(admin, { model: p.model, provider: "acme", currency: "USD", inputPerMTok: p.input, outputPerMTok: p.output, effectiveFrom: FROM.toISOString() });
  }
  // Setting up prices is itself a change; nothing was stored yet, so applying it re-costs nothing.
  const setup = await pendingRecost();
  expect(setup.scope).toBeNull();
  const none = await applyRecost(admin, { changes: setup.changes.map((c) => c.id), reason: "initial prices" });
  expect(none.runId).toBeNull();
});

afterAll(async () => {
  await db.$disconnect();
});

describe("re-costing after a price change", () => {
  it("previews and applies under concurrent ingestion: rollups == raw, new costs exact, others untouched, finalized invoice frozen", async () => {
    const catalog = await createCatalog();
    const customer = await createCustomer("umbrella", catalog.plans.growth.id);
    // October: one billed event (100M input at 2.00 = 200.00, ×1.2 markup = 240.00, above the plan's 100.00 minimum).
    await ingest("s1", [{ id: "bill-1", timestamp: "2026-10-10T10:00:00Z", agent: "a0", type: "llm.call", customer: "umbrella", department: "ops", model: "acme-large", tokens: { input: 100_000_000 } }]);
    await ingest("s1", events(120, "2026-10"));
    await ingest("s2", events(120, "2026-11"));
    await generateDrafts("2026-10", admin, [customer.id]);
    const october = await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-10" } });
    await finalizeInvoice(october.id, admin);
    const frozen = await getInvoice(admin, october.id);

    // Ingestion keeps running (two writers) through the price change, the preview and the run.
    let stop = false;
    let batches = 0;
    const writer = async (source: string) => {
      while (!stop) {
        await ingest(source, events(15, "2026-11"));
        batches++;
      }
    };
    const writers = [writer("w1"), writer("w2")];
    try {
      const price = await db.modelPrice.findFirstOrThrow({ where: { model: "acme-large", source: "manual" } });
      await updateModelPrice(admin, price.id, { inputPerMTok: "3.00", outputPerMTok: "9.50" });
      prices[0] = { ...prices[0]!, input: "3.00", output: "9.50" };
      // Every batch that read the old price book has committed once each writer finished one more batch.
      const after = batches;
      while (batches < after + 3) await new Promise((r) => setTimeout(r, 20));
      const before = new Map((await stored()).map((e) => [e.id, e]));

      const pending = recostPendingResponse.parse(await pendingRecost());
      expect(pending.changes.map((c) => c.kind)).toEqual(["price.update"]);
      // The predicate names the ids events carry (case and snapshot forms included), not just the price's name.
      expect(pending.scope!.predicate.models).toEqual(["ACME-Large", "acme-large", "acme-large-20261001"]);
      expect(pending.preview!.changed).toBeGreaterThan(0);
      // Every October event that changes lies in the finalized period (bill-1 included).
      expect(pending.preview!.finalized).toBe([...before.values()].filter((e) => e.ts < new Date("2026-11-01T00:00:00Z") && e.reported === null && e.model && FAMILY[e.model] === "acme-large").length);

      const applied = recostApplied.parse(await applyRecost(admin, { changes: pending.changes.map((c) => c.id), reason: "acme-large list price corrected" }));
      expect(applied.runId).not.toBeNull();
      await expect(applyRecost(admin, { changes: pending.changes.map((c) => c.id), reason: "again" })).rejects.toThrow(/Already re-costed/);
      await drive(applied.runId!);
      stop = true;
      await Promise.all(writers);

      const run = await getRecomputeRun(applied.runId!);
      expect(run).toMatchObject({ status: "done", kind: "reprice", reason: "acme-large list price corrected" });
      const change = await db.priceChange.findUniqueOrThrow({ where: { id: BigInt(pending.changes[0]!.id) } });
      expect(change.recomputeRunId).toBe(applied.runId);
      expect(change.recostedAt).not.toBeNull();
      const audits = await db.auditLog.findMany({ where: { entity: "recompute_run", entityId: String(applied.runId) }, orderBy: { id: "asc" } });
      expect(audits.map((a) => a.action)).toEqual(["recompute.start", "price_change.recost", "recompute.complete"]);
      expect(audits[1]!.after).toMatchObject({ priceChanges: [pending.changes[0]!.id], runId: applied.runId });
      expect((await pendingRecost()).changes).toEqual([]);

      let affected = 0;
      for (const e of await stored()) {
        const old = before.get(e.id);
        if (e.reported !== null) {
          expect(e.computed, `event ${e.id}`).toBeNull(); // a reported cost is never re-costed
          expect(e.cost).toBe(e.reported);
        } else if (e.model && FAMILY[e.model] === "acme-large") {
          expect(e.computed, `event ${e.id}`).toBe(expected(e));
          if (old) affected++;
        } else {
          // acme-small, unpriced ids and events ingested meanwhile: as they were, at the prices they always had.
          if (old) expect(e).toEqual(old);
          expect(e.computed, `event ${e.id}`).toBe(expected(e));
          expect(e.unpriced).toBe(e.model === "mystery-x");
        }
      }
      expect(affected).toBeGreaterThan(50);
    } finally {
      stop = true;
      await Promise.all(writers);
    }
    const t = await totalsInOneSnapshot();
    expect(t.hourly).toEqual(t.raw);
    expect(t.daily).toEqual(t.raw);
    expect(t.core).toEqual(t.raw);
    expect(t.dailyCustomer).toEqual(t.raw);
    await expectRollupsMatchRebuild();

    // The finalized October invoice is frozen; November's draft carries October's difference: 100M × 1.00/M × 1.2.
    expect(await getInvoice(admin, october.id)).toEqual(frozen);
    await generateDrafts("2026-11", admin, [customer.id]);
    const next = await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-11" }, include: { lines: true } });
    expect(next.lines.filter((l) => l.kind === "late_adjustment").map((l) => l.amount.toFixed(2))).toEqual(["120.00"]);
  }, 300_000);

  it("an alias for an unpriced model prices its events (any case) and the unpriced counts drop to 0", async () => {
    await ingest("s3", [
      ...events(30, "2026-11", { model: "prod-deploy-7" }),
      ...events(10, "2026-11", { model: "PROD-Deploy-7" }),
    ]);
    const unpricedOf = async () =>
      (await pool.query<{ events: string; tokens: string }>(
        `SELECT coalesce(sum(unpriced_events), 0)::text AS events, coalesce(sum(unpriced_input_tokens + unpriced_output_tokens), 0)::text AS tokens
         FROM usage_rollup_daily WHERE lower(model) = 'prod-deploy-7'`,
      )).rows[0]!;
    const rawUnpriced = async () =>
      (await pool.query<{ n: string }>("SELECT coalesce(sum(event_sign), 0)::text AS n FROM usage_events WHERE lower(model) = 'prod-deploy-7' AND unpriced")).rows[0]!.n;
    const unpricedBefore = await unpricedOf();
    expect(Number(unpricedBefore.events)).toBeGreaterThan(30); // reported-cost events are priced by their cost
    expect(unpricedBefore.events).toBe(await rawUnpriced());

    await createAlias(admin, { alias: "Prod-Deploy-7", model: "acme-small" });
    FAMILY["prod-deploy-7"] = "acme-small";
    FAMILY["PROD-Deploy-7"] = "acme-small";
    const pending = await pendingRecost();
    expect(pending.changes.map((c) => c.kind)).toEqual(["alias.create"]);
    expect(pending.scope!.predicate.models).toEqual(["PROD-Deploy-7", "prod-deploy-7"]);
    // The range narrows from "all time" to where those ids occur.
    expect(new Date(pending.scope!.from) >= new Date("2026-11-01T00:00:00Z")).toBe(true);
    expect(pending.preview!.changed).toBe(Number(unpricedBefore.events));
    const applied = await applyRecost(admin, { changes: pending.changes.map((c) => c.id), reason: "Azure deployment name" });
    await drive(applied.runId!);

    expect(await unpricedOf()).toEqual({ events: "0", tokens: "0" });
    expect(await rawUnpriced()).toBe("0");
    for (const e of await stored()) {
      if (e.model?.toLowerCase() === "prod-deploy-7" && e.reported === null) expect(e.computed, `event ${e.id}`).toBe(expected(e));
    }
    const t = await totalsInOneSnapshot();
    expect(t.hourly).toEqual(t.raw);
    expect(t.core).toEqual(t.raw);
    expect(t.dailyCustomer).toEqual(t.raw);
    await expectRollupsMatchRebuild();
  }, 120_000);

  it("refuses bad input and unknown changes, changing nothing", async () => {
    const bad = recostApply.safeParse({ changes: [], reason: " " });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["changes", "reason"]);
    const runs = await db.recomputeRun.count();
    await expect(applyRecost(admin, { changes: [999_999], reason: "x" })).rejects.toThrow(/No such price change/);
    expect(await db.recomputeRun.count()).toBe(runs);
  });
});
