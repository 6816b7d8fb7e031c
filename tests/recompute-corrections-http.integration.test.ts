// Recompute and corrections over real HTTP against the built app: an ingest key corrects its own event (201, then
// a replay 200 with the same body), an admin previews and runs a re-pricing, bad input is a 400 naming the field,
// and the drill-down API shows the correction's links. Authorization per caller is in tests/authorization/matrix.ts.
import { afterAll, beforeAll, expect, test } from "vitest";
import { hashPassword } from "@/lib/auth/passwords";
import { CorrectionResponseSchema } from "@/lib/corrections/schemas";
import { agentEventsResponse } from "@/lib/analytics/schemas";
import { db } from "@/lib/db";
import { expectRollupsMatchRebuild, startIngestApp, type IngestApp } from "@/lib/ingest/test-utils";
import { previewResponse, runSchema } from "@/lib/recompute/schemas";
import { login } from "./authorization/fixture";

let app: IngestApp;
let admin: Record<string, string>;

beforeAll(async () => {
  app = await startIngestApp();
  await db.user.create({ data: { email: "admin@http.test", name: "Admin", role: "admin", passwordHash: await hashPassword("a-long-test-password-1") } });
  const cookie = await login(app.baseUrl, "admin@http.test", "a-long-test-password-1");
  admin = { cookie: cookie!, origin: app.baseUrl, "content-type": "application/json" };
  await db.modelPrice.create({ data: { model: "gpt-4o", provider: "openai", inputPerMTok: "2.50", outputPerMTok: "10.00", effectiveFrom: new Date("2025-01-01T00:00:00Z") } });
});

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

const correct = (path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${app.baseUrl}/api/v1/events/${path}/corrections`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

test("an ingest key corrects its own event; a replay answers the same; the drill-down links both ways", async () => {
  const sent = await app.post({ events: [{ id: "h-1", timestamp: "2026-11-20T10:00:00Z", agent: "bot", type: "llm.call", model: "gpt-4o", tokens: { input: 1_000_000 } }] });
  expect(sent.status).toBe(200);
  const body = { kind: "correction", reason: "wrong model", idempotency_key: "k-1", event: { model: "gpt-4o", tokens: { input: 2_000_000 } } };
  const key = { authorization: `Bearer ${app.key}` };
  const first = await correct("test/h-1", body, key);
  expect(first.status).toBe(201);
  const result = CorrectionResponseSchema.parse(await first.json());
  expect(result).toMatchObject({ kind: "correction", replayed: false, corrected: { id: "h-1#correction" } });
  const again = await correct("test/h-1", body, key);
  expect(again.status).toBe(200);
  expect(CorrectionResponseSchema.parse(await again.json())).toEqual({ ...result, replayed: true });
  const other = await correct("test/h-1", { ...body, idempotency_key: "k-2" }, key);
  expect(other.status).toBe(409);

  const bad = await correct("test/h-1", { kind: "correction", reason: "r", idempotency_key: "k-3", event: { tokens: { input: -1 } } }, admin);
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe("event.tokens.input");
  const missing = await correct("test/nope", { kind: "reversal", reason: "r", idempotency_key: "k-4" }, admin);
  expect(missing.status).toBe(404);

  const page = await fetch(`${app.baseUrl}/api/v1/agents/bot/events?from=2026-11-01&to=2026-11-30`, { headers: admin });
  expect(page.status).toBe(200);
  const events = agentEventsResponse.parse(await page.json()).events;
  expect(events.find((e) => e.key === "h-1")?.correctedBy).toMatchObject({ kind: "correction", correctedEventId: result.corrected!.eventId });
  expect(events.find((e) => e.key === "h-1#reversal")).toMatchObject({ correctionKind: "reversal", correctsEventId: result.original.eventId, cost: "-2.5000000000" });
  expect(events.find((e) => e.key === "h-1#correction")).toMatchObject({ correctionKind: "correction", cost: "5.0000000000" });
  await expectRollupsMatchRebuild();
});

test("an admin previews and runs a re-pricing; bad input is a 400 naming the field", async () => {
  const post = (path: string, body: unknown) => fetch(`${app.baseUrl}/api/v1/recompute/${path}`, { method: "POST", headers: admin, body: JSON.stringify(body) });
  const badRange = await post("preview", { kind: "reprice", from: "2026-11-30T00:00:00Z", to: "2026-11-01T00:00:00Z" });
  expect(badRange.status).toBe(400);
  expect(((await badRange.json()) as { error: { details: unknown } }).error.details).toEqual([{ path: "to", message: "must be after from" }]);
  const noReason = await post("runs", { kind: "reprice", from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" });
  expect(noReason.status).toBe(400);
  expect(((await noReason.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path)).toEqual(["reason"]);

  await db.modelPrice.updateMany({ where: { model: "gpt-4o" }, data: { inputPerMTok: "3.00" } });
  const selection = { kind: "reprice", from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", predicate: { models: ["gpt-4o"] } };
  const preview = previewResponse.parse(await (await post("preview", selection)).json());
  // h-1 (1M), its reversal (−1M) and the corrected event (2M): +0.50 × 2M net.
  expect(preview).toMatchObject({ scanned: 3, changed: 3, delta: { total: "1", byDepartment: { "(none)": "1" }, byCustomer: { "(none)": "1" } } });
  const started = await post("runs", { ...selection, reason: "gpt-4o input price corrected" });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: number };
  let run = runSchema.parse(await (await fetch(`${app.baseUrl}/api/v1/recompute/runs/${id}`, { headers: admin })).json());
  for (let i = 0; i < 100 && run.status !== "done"; i++) {
    await new Promise((r) => setTimeout(r, 100));
    run = runSchema.parse(await (await fetch(`${app.baseUrl}/api/v1/recompute/runs/${id}`, { headers: admin })).json());
  }
  expect(run).toMatchObject({ status: "done", eventsChanged: 3, delta: preview.delta, actor: "admin@http.test" });
  const list = (await (await fetch(`${app.baseUrl}/api/v1/recompute/runs`, { headers: admin })).json()) as { items: unknown[] };
  expect(list.items.map((r) => runSchema.parse(r).id)).toContain(id);
  expect((await fetch(`${app.baseUrl}/api/v1/recompute/runs/abc`, { headers: admin })).status).toBe(400);
  await expectRollupsMatchRebuild();
});
