// Event corrections against real PostgreSQL: a reversal and a correction in an open period (rollups exact, counts net
// out, links visible in the drill-down), idempotent replay and its conflicts, an API key's source and policy, and a
// reversal in a finalized period (the invoice stays frozen; the next draft carries the difference).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeyCaller, UserCaller } from "@/lib/auth/caller";
import { agentEvents } from "@/lib/analytics/agent";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { generateDrafts } from "@/lib/billing/generate";
import { finalizeInvoice } from "@/lib/billing/lifecycle";
import { getInvoice } from "@/lib/billing/queries";
import { createCatalog } from "@/lib/billing/test-fixtures";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { ingest } from "@/lib/recompute/test-utils";
import { seedBasics } from "@/tests/helpers/db";
import { correctEvent, negate } from "./corrections";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const key = (over: Partial<ApiKeyCaller> = {}): ApiKeyCaller => ({ kind: "apiKey", id: 9, prefix: "al_k", source: "app", scopes: ["ingest"], rateLimitPerMinute: null, policy: UNRESTRICTED, usageSource: "traces", ...over });

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  forgetOrgSettings();
  await db.department.createMany({ data: [{ code: "ops", name: "Ops" }, { code: "sales", name: "Sales" }] });
  await db.modelPrice.create({ data: { model: "gpt-4o", provider: "openai", inputPerMTok: "2.50", outputPerMTok: "10.00", effectiveFrom: new Date("2025-01-01T00:00:00Z") } });
});

afterAll(async () => {
  await db.$disconnect();
});

type Row = { key: string; sign: number; cost: string; computed: string | null; input: string; quantity: string; kind: string | null; corrects: string | null; late: boolean };
async function rows(source: string, prefix: string): Promise<Row[]> {
  const { rows } = await pool.query<Row>(
    `SELECT event_key AS key, event_sign AS sign, cost::text, computed_cost::text AS computed, input_tokens::text AS input, quantity::text,
       correction_kind AS kind, corrects_event_id::text AS corrects, late
     FROM usage_events WHERE source = $1 AND event_key LIKE $2 || '%' ORDER BY event_key`,
    [source, prefix],
  );
  return rows;
}

describe("event corrections", () => {
  it("negates a rows' amounts exactly", () => {
    expect(["1.5", "-2", "0", "0.0000000000", "12.000000"].map(negate)).toEqual(["-1.5", "2", "0", "0.0000000000", "-12.000000"]);
  });

  it("corrects an event in an open period: reversal + corrected event, linked, rollups exact, idempotent", async () => {
    await ingest("app", [
      { id: "ev-1", timestamp: "2026-11-10T10:00:00Z", agent: "bot", type: "llm.call", department: "ops", customer: "acme", model: "gpt-4o", tokens: { input: 1_000_000, output: 1000 }, task: { type: "ticket", status: "completed" } },
    ]);
    const request = { kind: "correction" as const, reason: "tokens were double-counted by the SDK", idempotency_key: "fix-1", event: { tokens: { input: 500_000, output: 1000 }, department: "sales" } };
    const result = await correctEvent(key(), "app", "ev-1", request);
    expect(result).toMatchObject({ kind: "correction", replayed: false, inFinalizedPeriod: false, original: { id: "ev-1" }, reversal: { id: "ev-1#reversal" }, corrected: { id: "ev-1#correction" } });
    const stored = await rows("app", "ev-1");
    const original = stored.find((r) => r.key === "ev-1")!;
    expect(original).toMatchObject({ sign: 1, cost: "2.5100000000", computed: "2.5100000000", kind: null }); // 1M × 2.50 + 1k × 10.00 per M: never changed
    expect(stored.find((r) => r.key === "ev-1#reversal")).toMatchObject({ sign: -1, cost: "-2.5100000000", computed: "-2.5100000000", input: "-1000000", quantity: "-1.000000", kind: "reversal", corrects: result.original.eventId });
    expect(stored.find((r) => r.key === "ev-1#correction")).toMatchObject({ sign: 1, cost: "1.2600000000", input: "500000", kind: "correction", corrects: result.original.eventId });
    // Net: one event, the corrected cost, in the corrected department.
    const net = await pool.query<{ events: string; cost: string }>(
      "SELECT sum(event_sign)::text AS events, sum(cost)::text AS cost FROM usage_events WHERE source = 'app' AND event_key LIKE 'ev-1%'",
    );
    expect(net.rows[0]).toEqual({ events: "1", cost: "1.2600000000" });
    const byDepartment = await pool.query<{ code: string; events: string; cost: string }>(
      `SELECT d.code, sum(r.events)::text AS events, trim_scale(sum(r.cost))::text AS cost FROM usage_rollup_daily_core r
       JOIN departments d ON d.id = r.department_id GROUP BY d.code ORDER BY d.code`,
    );
    expect(byDepartment.rows).toEqual([{ code: "ops", events: "0", cost: "0" }, { code: "sales", events: "1", cost: "1.26" }]);
    await expectRollupsMatchRebuild();

    // Same request again: the same answer, nothing new. Same key, other body: refused. A second correction: refused.
    const count = async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events")).rows[0]!.n;
    const before = await count();
    expect(await correctEvent(key(), "app", "ev-1", request)).toEqual({ ...result, replayed: true });
    await expect(correctEvent(key(), "app", "ev-1", { ...request, reason: "other" })).rejects.toThrow(/different request/);
    await expect(correctEvent(key(), "app", "ev-1", { ...request, idempotency_key: "fix-1b" })).rejects.toThrow(/already corrected/);
    await expect(correctEvent(key(), "app", "ev-1#reversal", request)).rejects.toThrow(/already used for a correction of event 'ev-1'/);
    await expect(correctEvent(key(), "app", "ev-1", { kind: "reversal", reason: "again", idempotency_key: "fix-2" })).rejects.toThrow(/already corrected/);
    await expect(correctEvent(key(), "app", "ev-1#reversal", { kind: "reversal", reason: "x", idempotency_key: "fix-3" })).rejects.toThrow(/reversal/);
    // Concurrent identical requests: one effect.
    await ingest("app", [{ id: "ev-2", timestamp: "2026-11-11T10:00:00Z", agent: "bot", type: "agent.action", quantity: 3 }]);
    const twice = await Promise.all([1, 2].map(() => correctEvent(key(), "app", "ev-2", { kind: "reversal", reason: "duplicate send", idempotency_key: "rev-2" })));
    expect(twice.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(await count()).toBe(before + 2); // ev-2 and its one reversal
    // The corrected event can itself be corrected (the chain goes on from the latest version).
    await correctEvent(admin, "app", "ev-1#correction", { kind: "reversal", reason: "not ours after all", idempotency_key: "fix-4" });
    expect((await rows("app", "ev-1")).map((r) => r.key)).toEqual(["ev-1", "ev-1#correction", "ev-1#correction#reversal", "ev-1#reversal"]);
    await expectRollupsMatchRebuild();

    // The drill-down shows both directions of the link.
    const page = await agentEvents(admin, await orgSettings(), "bot", { from: "2026-11-01", to: "2026-11-30", limit: 50 });
    const byKey = new Map(page.events.map((e) => [e.key, e]));
    expect(byKey.get("ev-1")?.correctedBy).toMatchObject({ kind: "correction", reversalEventId: result.reversal.eventId, correctedEventId: result.corrected!.eventId });
    expect(byKey.get("ev-1#reversal")).toMatchObject({ correctionKind: "reversal", correctsEventId: result.original.eventId });
    expect(byKey.get("ev-1#correction")).toMatchObject({ correctionKind: "correction", correctedBy: { kind: "reversal" } });
    // Audited.
    expect(await db.auditLog.count({ where: { action: { in: ["event.correct", "event.reverse"] } } })).toBe(3);
  });

  it("validates the corrected event like ingestion and keeps an API key to its source and policy", async () => {
    await ingest("app", [{ id: "ev-3", timestamp: "2026-11-12T10:00:00Z", agent: "bot", type: "agent.action" }]);
    await expect(correctEvent(key(), "app", "ev-3", { kind: "correction", reason: "r", idempotency_key: "v-1", event: { department: "nope" } })).rejects.toMatchObject({ status: 400 });
    await expect(correctEvent(key(), "app", "ev-3", { kind: "correction", reason: "r", idempotency_key: "v-2", event: { quantity: "-1" } })).rejects.toMatchObject({ status: 400 });
    await expect(correctEvent(key({ source: "other" }), "app", "ev-3", { kind: "reversal", reason: "r", idempotency_key: "v-3" })).rejects.toMatchObject({ status: 403 });
    await expect(correctEvent(key({ policy: { ...UNRESTRICTED, allowedAgents: ["someone-else"] } }), "app", "ev-3", { kind: "reversal", reason: "r", idempotency_key: "v-4" })).rejects.toMatchObject({ status: 403 });
    await expect(correctEvent(key(), "app", "missing", { kind: "reversal", reason: "r", idempotency_key: "v-5" })).rejects.toMatchObject({ status: 404 });
    expect((await rows("app", "ev-3")).map((r) => r.key)).toEqual(["ev-3"]);
  });

  it("reverses an event in a finalized period: the invoice stays frozen, the next draft carries the difference", async () => {
    const catalog = await createCatalog();
    await db.customer.create({ data: { key: "initech", name: "Initech", plans: { create: { planId: catalog.plans.growth.id, effectiveFrom: catalog.from } } } });
    await ingest("app", [
      { id: "oct-1", timestamp: "2026-10-10T10:00:00Z", agent: "bot", type: "llm.call", customer: "initech", cost: { amount: "200", currency: "USD" } },
      { id: "oct-2", timestamp: "2026-10-11T10:00:00Z", agent: "bot", type: "llm.call", customer: "initech", cost: { amount: "100", currency: "USD" } },
    ]);
    const customer = await db.customer.findUniqueOrThrow({ where: { key: "initech" } });
    await generateDrafts("2026-10", admin, [customer.id]);
    const draft = await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-10" } });
    await finalizeInvoice(draft.id, admin);
    const frozen = await getInvoice(admin, draft.id);
    expect(frozen.total).toBe("360.00"); // 300 × 1.2 markup

    // A key that may not write into finalized periods may not correct there either.
    await expect(correctEvent(key({ policy: { ...UNRESTRICTED, mayWriteFinalized: false } }), "app", "oct-2", { kind: "reversal", reason: "r", idempotency_key: "f-0" })).rejects.toMatchObject({ status: 403 });
    const result = await correctEvent(admin, "app", "oct-2", { kind: "reversal", reason: "test traffic, not billable", idempotency_key: "f-1" });
    expect(result.inFinalizedPeriod).toBe(true);
    expect((await rows("app", "oct-2#")).map((r) => r.late)).toEqual([true]);
    expect(await getInvoice(admin, draft.id)).toEqual(frozen);

    await generateDrafts("2026-11", admin, [customer.id]);
    const next = await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-11" }, include: { lines: true } });
    expect(next.lines.filter((l) => l.kind === "late_adjustment").map((l) => l.amount.toFixed(2))).toEqual(["-120.00"]); // 100 × 1.2 taken back
    expect(await getInvoice(admin, draft.id)).toEqual(frozen);
    await expectRollupsMatchRebuild();
  });
});
