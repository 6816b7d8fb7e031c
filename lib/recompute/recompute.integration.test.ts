// The recompute engine against real PostgreSQL: random price changes and random selections, re-priced while
// ingestion runs concurrently. Rollups equal the raw events after every batch commit and a full rebuild agrees at
// the end; every selected event carries the cost computed independently from the current prices; nothing outside
// the selection and no reported cost changes; a finalized invoice stays frozen and the next draft carries the difference.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { generateDrafts } from "@/lib/billing/generate";
import { finalizeInvoice } from "@/lib/billing/lifecycle";
import { getInvoice } from "@/lib/billing/queries";
import { createCatalog, createCustomer } from "@/lib/billing/test-fixtures";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { approve } from "@/lib/approvals/actions";
import { updateFourEyesSettings } from "@/lib/approvals/approvals";
import { createRecomputeRun, getRecomputeRun, previewRun, processRecomputeRun } from "./runs";
import { startOrRequestApproval } from "./start";
import { expectedCost, ingest, totalsInOneSnapshot, type Price } from "./test-utils";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const DAY = 86_400_000;
const START = Date.parse("2026-11-02T00:00:00Z");
const MODELS = ["gpt-4o", "claude-sonnet-4-5", "o3"];
const prices: Price[] = [];

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: "Asia/Kolkata" } });
  forgetOrgSettings();
  await db.user.create({ data: { id: 1, email: "admin@test", name: "Admin", role: "admin" } }).catch(() => {});
  await db.department.createMany({ data: [{ code: "ops", name: "Ops" }, { code: "sales", name: "Sales" }] });
  for (const [model, input, output] of [["gpt-4o", "2.50", "10.00"], ["claude-sonnet-4-5", "3.00", "15.00"], ["o3", "10.00", "40.00"]] as const) {
    const from = new Date("2025-01-01T00:00:00Z");
    await db.modelPrice.create({ data: { model, provider: "x", inputPerMTok: input, outputPerMTok: output, effectiveFrom: from } });
    prices.push({ model, from, to: null, input, output, cacheRead: null });
  }
});

afterAll(async () => {
  await db.$disconnect();
});

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let seq = 0;
function randomEvents(random: () => number, n: number) {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const model = pick([...MODELS, "unknown-model"]);
    return {
      id: `r-${++seq}`,
      timestamp: new Date(START + Math.floor(random() * 4 * DAY)).toISOString(),
      agent: pick(["a0", "a1", "a2"]),
      type: "llm.call",
      model,
      ...(random() < 0.6 ? { department: pick(["ops", "sales"]) } : {}),
      ...(random() < 0.6 ? { customer: pick(["c0", "c1"]) } : {}),
      tokens: { input: Math.floor(random() * 200_000), output: Math.floor(random() * 20_000), cache_read: Math.floor(random() * 5_000) },
      ...(random() < 0.2 ? { cost: { amount: "0.5", currency: "USD" } } : {}),
    };
  });
}

type Stored = { id: string; source: string; model: string | null; agent: string; dept: string | null; ts: Date; reported: string | null; computed: string | null; input: string; output: string; cacheRead: string };
async function storedEvents(): Promise<Stored[]> {
  const { rows } = await pool.query<Stored>(`
    SELECT e.id::text AS id, e.source, e.model, a.key AS agent, d.code AS dept, e.timestamp AS ts, e.reported_cost::text AS reported,
      e.computed_cost::text AS computed, e.input_tokens::text AS input, e.output_tokens::text AS output, e.cache_read_tokens::text AS "cacheRead"
    FROM usage_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN departments d ON d.id = e.department_id`);
  return rows;
}

const priceMove = fc.record({
  model: fc.constantFrom(...MODELS),
  input: fc.integer({ min: 0, max: 20_000_000 }).map((m) => (m / 1e6).toFixed(6)),
  output: fc.integer({ min: 0, max: 80_000_000 }).map((m) => (m / 1e6).toFixed(6)),
  // A new price row from an hour inside the window, or a change of the current one.
  fromHour: fc.option(fc.integer({ min: 1, max: 95 }), { nil: undefined }),
});

describe("recompute engine", () => {
  it("re-prices exactly under concurrent ingestion: rollups == raw at every commit, a rebuild agrees", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(priceMove, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 1, max: 96 }),
        fc.record({
          models: fc.option(fc.subarray(MODELS, { minLength: 1 }), { nil: undefined }),
          agents: fc.option(fc.subarray(["a0", "a1", "a2"], { minLength: 1 }), { nil: undefined }),
          departments: fc.option(fc.subarray(["ops", "sales"], { minLength: 1 }), { nil: undefined }),
          sources: fc.option(fc.constant<string[]>(["s1"]), { nil: undefined }),
        }),
        fc.integer({ min: 3, max: 60 }),
        fc.integer(),
        async (moves, fromHour, hours, predicate, batchSize, seed) => {
          const random = mulberry32(seed);
          await ingest("s1", randomEvents(random, 60));
          await ingest("s2", randomEvents(random, 30));
          for (const m of moves) {
            const current = prices.filter((p) => p.model === m.model && p.to === null).sort((a, b) => b.from.getTime() - a.from.getTime())[0]!;
            const from = m.fromHour === undefined ? null : new Date(START + m.fromHour * 3_600_000);
            if (from && from > current.from) {
              await db.modelPrice.updateMany({ where: { model: m.model, effectiveFrom: current.from }, data: { effectiveTo: from } });
              await db.modelPrice.create({ data: { model: m.model, provider: "x", inputPerMTok: m.input, outputPerMTok: m.output, effectiveFrom: from } });
              current.to = from;
              prices.push({ model: m.model, from, to: null, input: m.input, output: m.output, cacheRead: null });
            } else {
              await db.modelPrice.updateMany({ where: { model: m.model, effectiveFrom: current.from }, data: { inputPerMTok: m.input, outputPerMTok: m.output } });
              current.input = m.input;
              current.output = m.output;
            }
          }
          const from = new Date(START + fromHour * 3_600_000);
          const to = new Date(from.getTime() + hours * 3_600_000);
          const selected = (e: Stored) =>
            e.ts >= from && e.ts < to && (!predicate.models || (e.model !== null && predicate.models.includes(e.model))) &&
            (!predicate.agents || predicate.agents.includes(e.agent)) && (!predicate.departments || (e.dept !== null && predicate.departments.includes(e.dept))) &&
            (!predicate.sources || predicate.sources.includes(e.source));
          const before = await storedEvents();
          const input = { kind: "reprice" as const, from, to, predicate };
          const preview = await previewRun(input);
          const { id } = await createRecomputeRun(admin, { ...input, reason: "property test", batchSize });

          // Ingestion (priced at the current prices) runs concurrently with the run's batches: one ingest batch
          // alongside each of the first batches (driven by progress, not the clock), at least two in all.
          let ingested = 0;
          for (;;) {
            const [step] = await Promise.all([
              processRecomputeRun(id),
              ingested < 3 ? ingest(ingested++ % 2 ? "s1" : "s2", randomEvents(random, 20)) : null,
            ]);
            const t = await totalsInOneSnapshot();
            expect(t.hourly).toEqual(t.raw);
            expect(t.daily).toEqual(t.raw);
            expect(t.core).toEqual(t.raw);
            expect(t.hourlyCore).toEqual(t.raw);
            expect(t.dailyCustomer).toEqual(t.raw);
            if (step === "done") break;
          }
          while (ingested < 2) await ingest("s2", randomEvents(random, 20 + ingested++));
          expect(await processRecomputeRun(id)).toBe("done"); // idempotent once done

          const run = await getRecomputeRun(id);
          expect(run.status).toBe("done");
          expect(run.delta).toEqual(preview.delta);
          expect(run.eventsChanged).toBe(preview.changed);

          const beforeById = new Map(before.map((e) => [e.id, e]));
          for (const e of await storedEvents()) {
            const old = beforeById.get(e.id);
            if (e.reported !== null) {
              expect(e.computed).toBeNull(); // a reported cost is never re-priced
            } else if (!old || selected(e)) {
              // Selected (or ingested meanwhile at the current prices): the independent cost.
              const t = { input: Number(e.input), output: Number(e.output), cacheRead: Number(e.cacheRead) };
              expect(e.computed, `event ${e.id}`).toBe(e.model ? expectedCost(prices, e.model, e.ts, t) : null);
            } else {
              expect(e.computed).toBe(old.computed); // outside the selection: untouched
            }
          }
          await expectRollupsMatchRebuild();
        },
      ),
      { numRuns: propertyRuns(60) },
    );
  }, 600_000);
});

describe("recompute concurrency", () => {
  it("two overlapping runs and four ingesting clients at once: no deadlock, rollups exact, each event priced once", async () => {
    const random = mulberry32(42);
    await ingest("s1", randomEvents(random, 400));
    await db.modelPrice.updateMany({ where: { model: "claude-sonnet-4-5" }, data: { inputPerMTok: "3.30" } });
    for (const p of prices) if (p.model === "claude-sonnet-4-5") p.input = "3.30";
    const window = (h: number) => new Date(START + h * 3_600_000);
    const a = await createRecomputeRun(admin, { kind: "reprice", from: window(0), to: window(72), predicate: {}, reason: "a", batchSize: 25 });
    const b = await createRecomputeRun(admin, { kind: "reprice", from: window(24), to: window(96), predicate: {}, reason: "b", batchSize: 40 });
    const drive = async (id: number) => {
      while ((await processRecomputeRun(id)) === "more");
    };
    const client = async (n: number) => {
      for (let i = 0; i < 5; i++) await ingest(`c${n}`, randomEvents(mulberry32(n * 100 + i), 40));
    };
    await Promise.all([drive(a.id), drive(b.id), drive(a.id), client(1), client(2), client(3), client(4)]);
    const [ra, rb] = [await getRecomputeRun(a.id), await getRecomputeRun(b.id)];
    expect([ra.status, rb.status]).toEqual(["done", "done"]);
    // Whatever the interleaving, each changed event's difference is counted by exactly one run.
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM usage_events WHERE model IS NOT NULL AND reported_cost IS NULL AND timestamp >= $1 AND timestamp < $2",
      [window(0), window(96)],
    );
    expect(ra.eventsChanged + rb.eventsChanged).toBeLessThanOrEqual(rows[0]!.n);
    for (const e of await storedEvents()) {
      if (e.reported === null && e.model && e.ts >= window(0) && e.ts < window(96)) {
        expect(e.computed, `event ${e.id}`).toBe(expectedCost(prices, e.model, e.ts, { input: Number(e.input), output: Number(e.output), cacheRead: Number(e.cacheRead) }));
      }
    }
    await expectRollupsMatchRebuild();
  }, 120_000);
});

describe("recompute crash safety", () => {
  it("a batch whose connection is killed mid-transaction changes nothing; the run resumes and ends exact", async () => {
    await ingest("k", randomEvents(mulberry32(7), 300));
    await db.modelPrice.updateMany({ where: { model: "o3" }, data: { outputPerMTok: "41.00" } });
    for (const p of prices) if (p.model === "o3") p.output = "41.00";
    const { id } = await createRecomputeRun(admin, { kind: "reprice", from: new Date(START), to: new Date(START + 4 * DAY), predicate: { models: ["o3"] }, reason: "crash", batchSize: 20 });
    expect(await processRecomputeRun(id)).toBe("more");
    const before = await getRecomputeRun(id);
    // Hold every budget spend row so the next batch blocks inside its transaction, after updating its events.
    const blocker = await pool.connect();
    await blocker.query("BEGIN");
    await blocker.query("SELECT 1 FROM budget_spend_daily FOR UPDATE");
    const step = processRecomputeRun(id);
    let killed = false;
    for (let i = 0; i < 200 && !killed; i++) {
      // From another connection: inside the blocker's transaction pg_stat_activity would stay one snapshot.
      const { rows } = await pool.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE usage_events e SET%' AND pid <> pg_backend_pid()",
      );
      if (rows[0]) killed = (await pool.query<{ ok: boolean }>("SELECT pg_terminate_backend($1) AS ok", [rows[0].pid])).rows[0]!.ok;
      else await new Promise((r) => setTimeout(r, 25));
    }
    await blocker.query("ROLLBACK");
    blocker.release();
    expect(killed).toBe(true);
    await expect(step).rejects.toThrow(/terminat/);
    // Nothing of the killed batch stayed: same cursor, same counts; rollups still equal the raw events.
    expect(await getRecomputeRun(id)).toEqual(before);
    const t = await totalsInOneSnapshot();
    expect(t.hourly).toEqual(t.raw);
    expect(t.hourlyCore).toEqual(t.raw);
    expect(t.dailyCustomer).toEqual(t.raw);
    while ((await processRecomputeRun(id)) === "more");
    expect((await getRecomputeRun(id)).status).toBe("done");
    for (const e of await storedEvents()) {
      if (e.reported === null && e.model === "o3" && e.ts >= new Date(START) && e.ts < new Date(START + 4 * DAY)) {
        expect(e.computed, `event ${e.id}`).toBe(expectedCost(prices, e.model, e.ts, { input: Number(e.input), output: Number(e.output), cacheRead: Number(e.cacheRead) }));
      }
    }
    await expectRollupsMatchRebuild();
  }, 60_000);
});

describe("recompute and finalized invoices", () => {
  it("leaves a finalized invoice frozen: the re-priced difference is a late adjustment on the next draft, audited", async () => {
    const catalog = await createCatalog();
    const customer = await createCustomer("umbrella", catalog.plans.growth.id);
    const from = new Date("2025-01-01T00:00:00Z");
    const price = await db.modelPrice.create({ data: { model: "fin-model", provider: "x", inputPerMTok: "2.50", outputPerMTok: "10.00", effectiveFrom: from } });
    // 100M input tokens at 2.50 = 250.00 of cost, billed with a 20 % markup: 300.00. Kolkata's October: Sep 30 18:30Z – Oct 31 18:30Z.
    await ingest("fin", [
      { id: "f-1", timestamp: "2026-10-15T10:00:00Z", agent: "a0", type: "llm.call", customer: "umbrella", department: "ops", model: "fin-model", tokens: { input: 100_000_000 } },
      { id: "f-2", timestamp: "2026-11-15T10:00:00Z", agent: "a0", type: "llm.call", customer: "umbrella", department: "ops", model: "fin-model", tokens: { input: 4_000_000 } },
    ]);
    await generateDrafts("2026-10", admin, [customer.id]);
    const draft = await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-10" } });
    await finalizeInvoice(draft.id, admin);
    const frozen = await getInvoice(admin, draft.id);
    expect(frozen.total).toBe("300.00");

    await db.modelPrice.update({ where: { id: price.id }, data: { inputPerMTok: "3.00" } });
    const input = { kind: "reprice" as const, from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z"), predicate: { models: ["fin-model"] } };
    const preview = await previewRun(input);
    // 100M × 0.50 + 4M × 0.50 more; one of the two events lies in the finalized October.
    expect(preview).toEqual({ scanned: 2, changed: 2, finalized: 1, delta: { total: "52", byDepartment: { ops: "52" }, byCustomer: { umbrella: "52" } } });
    expect(await getInvoice(admin, draft.id)).toEqual(frozen); // a preview changes nothing
    const { id } = await createRecomputeRun(admin, { ...input, reason: "fin-model list price corrected", batchSize: 1 });
    while ((await processRecomputeRun(id)) === "more");
    const run = await getRecomputeRun(id);
    expect(run).toMatchObject({ status: "done", eventsChanged: 2, eventsFinalized: 1, delta: preview.delta, batchesDone: 3 });
    expect(await getInvoice(admin, draft.id)).toEqual(frozen);

    await generateDrafts("2026-11", admin, [customer.id]);
    const next = await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-11" }, include: { lines: true } });
    expect(next.lines.filter((l) => l.kind === "late_adjustment").map((l) => l.amount.toFixed(2))).toEqual(["60.00"]); // 50.00 × 1.2
    expect(await getInvoice(admin, draft.id)).toEqual(frozen);

    const audits = await db.auditLog.findMany({ where: { entity: "recompute_run", entityId: String(id) }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.action, a.actor])).toEqual([["recompute.start", "admin@test"], ["recompute.complete", "admin@test"]]);
    expect(audits[0]!.after).toMatchObject({ reason: "fin-model list price corrected", predicate: { models: ["fin-model"] } });
    expect(audits[1]!.after).toMatchObject({ eventsChanged: 2, eventsInFinalizedPeriods: 1, delta: preview.delta });
    await expectRollupsMatchRebuild();
  });

  it("holds a re-costing run at or above the four-eyes threshold until a different user approves it", async () => {
    const other: UserCaller = { ...admin, id: (await db.user.create({ data: { id: 900, email: "second@test", name: "Second", role: "finance" } })).id, email: "second@test", role: "finance" };
    const from = new Date("2025-01-01T00:00:00Z");
    const price = await db.modelPrice.create({ data: { model: "eyes-model", provider: "x", inputPerMTok: "1.00", outputPerMTok: "1.00", effectiveFrom: from } });
    await ingest("eyes", [{ id: "e-1", timestamp: "2026-11-20T10:00:00Z", agent: "a0", type: "llm.call", department: "ops", model: "eyes-model", tokens: { input: 10_000_000 } }]);
    await db.modelPrice.update({ where: { id: price.id }, data: { inputPerMTok: "0.50" } }); // 5.00 less
    const input = { kind: "reprice" as const, from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z"), predicate: { models: ["eyes-model"] }, reason: "eyes-model price cut" };
    await updateFourEyesSettings(admin, { enabled: true, threshold: "5.00" });
    try {
      const held = await startOrRequestApproval(admin, input);
      expect(held).toMatchObject({ approval: { kind: "recompute", status: "pending", amount: "5.00", subjectId: null, payload: { reason: "eyes-model price cut" } } });
      const approvalId = (held as { approval: { id: number } }).approval.id;
      expect(await db.recomputeRun.count({ where: { reason: input.reason } })).toBe(0);
      await expect(approve(admin, approvalId)).rejects.toMatchObject({ status: 403 });
      const approved = await approve(other, approvalId);
      const run = await db.recomputeRun.findFirstOrThrow({ where: { reason: input.reason } });
      expect(approved).toMatchObject({ status: "approved", subjectId: run.id, decidedBy: { email: "second@test" } });
      expect(run).toMatchObject({ actor: "second@test", kind: "reprice" });

      await updateFourEyesSettings(admin, { enabled: true, threshold: "5.01" });
      expect(await startOrRequestApproval(admin, { ...input, reason: "below the threshold" })).toEqual({ id: expect.any(Number) });
    } finally {
      await updateFourEyesSettings(admin, { enabled: false, threshold: null });
    }
  });
});
