// Re-costing over real HTTP against the built app: an admin changes a price and adds an alias for an unpriced id
// through the API, sees the pending changes with the preview, a bad body is a 400 naming the field, the apply is a
// 202 whose run the app's job worker finishes; afterwards costs follow the new prices and nothing is unpriced.
// Authorization per caller is in tests/authorization/matrix.ts.
import Decimal from "decimal.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { hashPassword } from "@/lib/auth/passwords";
import { db, pool } from "@/lib/db";
import { expectRollupsMatchRebuild, startIngestApp, type IngestApp } from "@/lib/ingest/test-utils";
import { recostApplied, recostPendingResponse } from "@/lib/pricing/schemas";
import { runSchema } from "@/lib/recompute/schemas";
import { login } from "./authorization/fixture";

let app: IngestApp;
let admin: Record<string, string>;

beforeAll(async () => {
  app = await startIngestApp();
  await db.user.create({ data: { email: "admin@recost.test", name: "Admin", role: "admin", passwordHash: await hashPassword("a-long-test-password-1") } });
  const cookie = await login(app.baseUrl, "admin@recost.test", "a-long-test-password-1");
  admin = { cookie: cookie!, origin: app.baseUrl, "content-type": "application/json" };
});

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${app.baseUrl}${path}`, { method, headers: admin, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

test("price change and alias → pending with preview → 400 on bad input → 202 → run done, costs exact, nothing unpriced", async () => {
  const created = await call("POST", "/api/v1/model-prices", { model: "zeta-1", provider: "zeta", currency: "USD", inputPerMTok: "1.00", outputPerMTok: "4.00", effectiveFrom: "2025-01-01T00:00:00Z" });
  expect(created.status).toBe(201);
  const { id: priceId } = (await created.json()) as { id: number };
  // The setup's change, applied before any event exists: nothing to re-cost, no run.
  const setup = recostPendingResponse.parse(await (await call("GET", "/api/v1/pricing/recost")).json());
  expect(setup).toMatchObject({ scope: null, preview: null });
  const none = await call("POST", "/api/v1/pricing/recost", { changes: setup.changes.map((c) => c.id), reason: "setup" });
  expect(recostApplied.parse(await none.json())).toMatchObject({ runId: null });
  const sent = await app.post({
    events: [
      { id: "z-1", timestamp: "2026-11-20T10:00:00Z", agent: "bot", type: "llm.call", model: "zeta-1", tokens: { input: 1_000_000, output: 500_000 } },
      { id: "z-2", timestamp: "2026-11-21T10:00:00Z", agent: "bot", type: "llm.call", model: "Zeta-1-20261101", tokens: { input: 300_000 } },
      { id: "z-3", timestamp: "2026-11-22T10:00:00Z", agent: "bot", type: "llm.call", model: "corp-zeta-deploy", tokens: { input: 2_000_000, output: 1_000 } },
    ],
  });
  expect(sent.status).toBe(200);

  expect((await call("PATCH", `/api/v1/model-prices/${priceId}`, { inputPerMTok: "1.50" })).status).toBe(200);
  expect((await call("POST", "/api/v1/pricing/aliases", { alias: "corp-zeta-deploy", model: "zeta-1" })).status).toBe(201);

  const res = await call("GET", "/api/v1/pricing/recost");
  expect(res.status).toBe(200);
  const pending = recostPendingResponse.parse(await res.json());
  expect(pending.changes.map((c) => c.kind)).toEqual(["price.update", "alias.create"]);
  expect(pending.scope?.predicate.models).toEqual(["Zeta-1-20261101", "corp-zeta-deploy", "zeta-1"]);
  // z-1: +0.50; z-2: +0.15; z-3: newly priced at 1.50/4.00 = 3.004.
  expect(pending.preview).toEqual({ scanned: 3, changed: 3, finalized: 0, delta: { total: "3.654", byDepartment: { "(none)": "3.654" }, byCustomer: { "(none)": "3.654" } } });

  const bad = await call("POST", "/api/v1/pricing/recost", { changes: "all", reason: "" });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path)).toEqual(["changes", "reason"]);
  expect((await call("POST", "/api/v1/pricing/recost", { changes: [987_654], reason: "x" })).status).toBe(404);

  const applied = await call("POST", "/api/v1/pricing/recost", { changes: pending.changes.map((c) => c.id), reason: "zeta renegotiated" });
  expect(applied.status).toBe(202);
  const { runId } = recostApplied.parse(await applied.json());
  expect((await call("POST", "/api/v1/pricing/recost", { changes: pending.changes.map((c) => c.id), reason: "again" })).status).toBe(409);
  let run = runSchema.parse(await (await call("GET", `/api/v1/recompute/runs/${runId}`)).json());
  for (let i = 0; i < 200 && run.status !== "done"; i++) {
    await new Promise((r) => setTimeout(r, 250));
    run = runSchema.parse(await (await call("GET", `/api/v1/recompute/runs/${runId}`)).json());
  }
  expect(run).toMatchObject({ status: "done", eventsChanged: 3, delta: pending.preview!.delta });

  const { rows } = await pool.query<{ key: string; cost: string; unpriced: boolean }>("SELECT event_key AS key, cost::text AS cost, unpriced FROM usage_events ORDER BY event_key");
  const cost = (input: number, output: number) => new Decimal(input).times("1.50").plus(new Decimal(output).times("4.00")).div(1e6).toFixed(10);
  expect(rows).toEqual([
    { key: "z-1", cost: cost(1_000_000, 500_000), unpriced: false },
    { key: "z-2", cost: cost(300_000, 0), unpriced: false },
    { key: "z-3", cost: cost(2_000_000, 1_000), unpriced: false },
  ]);
  const unpriced = await call("GET", "/api/v1/pricing/unpriced?from=2026-11-01&to=2026-11-30");
  expect(((await unpriced.json()) as { models: unknown[] }).models).toEqual([]);
  expect(recostPendingResponse.parse(await (await call("GET", "/api/v1/pricing/recost")).json()).changes).toEqual([]);
  await expectRollupsMatchRebuild();
}, 180_000);
