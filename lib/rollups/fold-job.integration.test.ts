// The rollups.fold job in a running app: started with the job worker, it empties the tail that ingestion appends to,
// and the folded rollups then equal a rebuild.
import { afterAll, beforeAll, expect, test } from "vitest";
import { disconnectDb } from "@/lib/db";
import { event, expectRollupsMatchRebuild, startIngestApp, totals, type IngestApp } from "@/lib/ingest/test-utils";
import { tailRows } from "./fold";

let app: IngestApp;

beforeAll(async () => {
  app = await startIngestApp({ timeZone: "America/St_Johns" });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await disconnectDb();
});

test("the app's fold job empties the tail after ingestion; totals are exact all along", async () => {
  for (let b = 0; b < 3; b++) {
    const events = Array.from({ length: 200 }, (_, i) => event(`job-${b}-${i}`, {
      timestamp: new Date(Date.UTC(2026, 10, 18) + (b * 200 + i) * 600_000).toISOString(),
      agent: `agent-${i % 3}`,
      ...(i % 2 ? { customer: `customer-${i % 4}` } : {}),
      cost: { amount: `${i}.25`, currency: "USD" },
    }));
    expect((await app.post({ events })).status).toBe(200);
    const t = await totals();
    for (const rollup of [t.hourly, t.daily, t.dailyCore, t.hourlyCore, t.dailyCustomer]) expect(rollup).toEqual(t.raw);
  }
  const deadline = Date.now() + 30_000;
  while ((await tailRows()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await tailRows()).toBe(0);
  await expectRollupsMatchRebuild();
}, 60_000);
