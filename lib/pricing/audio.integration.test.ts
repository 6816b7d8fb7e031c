// Audio token prices against real PostgreSQL: an OTLP span's gen_ai.usage.audio.* counts are billed at the price row's
// audio prices (the rest of input / output at the text prices), the cost equals an independent decimal.js computation,
// a re-price of unchanged prices changes nothing, and an audio price change re-costs the span to the new prices. The
// catalog update stores the package's audio prices and reads them back (a second preview finds nothing to change).
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { createModelPrice, updateModelPrice } from "@/lib/admin/catalog";
import { modelPriceCreate } from "@/lib/admin/schemas";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { collectSpans } from "@/lib/formats/otlp";
import { ingestTraces } from "@/lib/formats/traces";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { createRecomputeRun, getRecomputeRun, processRecomputeRun } from "@/lib/recompute/runs";
import { seedBasics } from "@/tests/helpers/db";
import { applyCatalog, packageCatalog, previewCatalog } from "./catalog-store";
import { applyRecost, pendingRecost } from "./recost";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const FROM = "2025-01-01T00:00:00.000Z";
const AT = Date.parse("2026-11-20T10:00:00Z");
const kv = (key: string, value: string | number) => ({ key, value: typeof value === "string" ? { stringValue: value } : { intValue: String(value) } });

function span(spanId: string, model: string, usage: Record<string, number>) {
  return collectSpans({
    resourceSpans: [
      {
        resource: { attributes: [kv("service.name", "voice-bot")] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
                spanId,
                name: `chat ${model}`,
                startTimeUnixNano: `${BigInt(AT) * 1_000_000n}`,
                attributes: [kv("gen_ai.operation.name", "chat"), kv("gen_ai.request.model", model), ...Object.entries(usage).map(([k, v]) => kv(`gen_ai.usage.${k}`, v))],
              },
            ],
          },
        ],
      },
    ],
  });
}

type Prices = { input: string; output: string; cacheRead: string; audioIn: string | null; audioOut: string | null };
/** From first principles: cached input leaves the input class; the audio part of each class at its audio price. */
function expected(p: Prices, u: { input: number; cached: number; audioIn: number; output: number; audioOut: number }): string {
  const textIn = u.input - u.cached - u.audioIn;
  return new Decimal(textIn).times(p.input)
    .plus(new Decimal(u.audioIn).times(p.audioIn ?? p.input))
    .plus(new Decimal(u.output - u.audioOut).times(p.output))
    .plus(new Decimal(u.audioOut).times(p.audioOut ?? p.output))
    .plus(new Decimal(u.cached).times(p.cacheRead))
    .div(1_000_000)
    .toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN)
    .toFixed(10);
}

async function costOf(eventKeyPart: string) {
  const { rows } = await pool.query<{ computed: string; cost: string; properties: Record<string, unknown> }>(
    "SELECT computed_cost::text AS computed, cost::text AS cost, properties FROM usage_events WHERE source = 'otlp-audio' AND event_key LIKE $1 AND event_sign = 1",
    [`%${eventKeyPart}%`],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function drive(runId: number) {
  while ((await processRecomputeRun(runId)) === "more");
}

const voice: Prices = { input: "2.50", output: "10", cacheRead: "1.25", audioIn: "40", audioOut: "80" };
const usage = { input: 1_000, cached: 100, audioIn: 600, output: 200, audioOut: 50 };
const attrs = { input_tokens: usage.input, "cache_read.input_tokens": usage.cached, "audio.input_tokens": usage.audioIn, output_tokens: usage.output, "audio.output_tokens": usage.audioOut };

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.user.create({ data: { id: 1, email: "admin@test", name: "Admin", role: "admin" } }).catch(() => {});
  const body = modelPriceCreate.parse({
    model: "acme-voice", provider: "acme", currency: "USD", inputPerMTok: voice.input, outputPerMTok: voice.output, cacheReadPerMTok: voice.cacheRead,
    inputAudioPerMTok: voice.audioIn, outputAudioPerMTok: voice.audioOut, effectiveFrom: FROM,
  });
  await createModelPrice(admin, body);
  // Same text prices, no audio prices: audio tokens at the text prices.
  await createModelPrice(admin, { model: "acme-text", provider: "acme", currency: "USD", inputPerMTok: voice.input, outputPerMTok: voice.output, cacheReadPerMTok: voice.cacheRead, effectiveFrom: FROM });
  const setup = await pendingRecost();
  await applyRecost(admin, { changes: setup.changes.map((c) => c.id), reason: "initial prices" });
});

afterAll(async () => {
  await db.$disconnect();
});

describe("audio token prices", () => {
  it("rejects a bad audio price with the field named", () => {
    const bad = modelPriceCreate.safeParse({ model: "m", provider: "p", currency: "USD", inputPerMTok: "1", outputPerMTok: "1", inputAudioPerMTok: "-1", effectiveFrom: FROM });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["inputAudioPerMTok"]);
  });

  it("prices an OTLP span's audio tokens at the audio prices; a re-price gives the same cost; a price change re-costs it", async () => {
    const spans = [...span("00f067aa0ba90201", "acme-voice", attrs), ...span("00f067aa0ba90202", "acme-text", attrs)];
    expect(await ingestTraces("otlp-audio", spans, UNRESTRICTED)).toEqual({ accepted: 2, duplicates: 0, rejected: [] });

    const priced = await costOf("00f067aa0ba90201");
    expect(priced.properties).toMatchObject({ usage_audio_input_tokens: 600, usage_audio_output_tokens: 50 });
    // 300×2.5 + 600×40 + 150×10 + 50×80 + 100×1.25 = 30375 per million.
    expect(priced.computed).toBe(expected(voice, usage));
    expect(priced.computed).toBe("0.0303750000");
    expect((await costOf("00f067aa0ba90202")).computed).toBe(expected({ ...voice, audioIn: null, audioOut: null }, usage));

    // Re-pricing with the prices unchanged reads the same counts: nothing changes.
    const same = await createRecomputeRun(admin, { kind: "reprice", from: new Date(AT - 86_400_000), to: new Date(AT + 86_400_000), predicate: { sources: ["otlp-audio"] }, reason: "check" });
    await drive(same.id);
    expect(await getRecomputeRun(same.id)).toMatchObject({ status: "done", eventsScanned: 2, eventsChanged: 0 });
    expect((await costOf("00f067aa0ba90201")).computed).toBe(priced.computed);

    // An audio price change re-costs the span at the new audio price.
    const row = await db.modelPrice.findFirstOrThrow({ where: { model: "acme-voice" } });
    await updateModelPrice(admin, row.id, { inputAudioPerMTok: "32", outputAudioPerMTok: null });
    const pending = await pendingRecost();
    const applied = await applyRecost(admin, { changes: pending.changes.map((c) => c.id), reason: "audio price cut" });
    await drive(applied.runId!);
    const after = await costOf("00f067aa0ba90201");
    expect(after.computed).toBe(expected({ ...voice, audioIn: "32", audioOut: null }, usage));
    expect(after.cost).toBe(after.computed);
    await expectRollupsMatchRebuild();
  }, 60_000);

  it("the catalog update stores the package's audio prices and reads them back unchanged", async () => {
    const catalog = await packageCatalog();
    const applied = await applyCatalog(pool, catalog, { actor: { id: 1, label: "admin@test" } });
    expect(applied.added).toBeGreaterThan(1000);
    const { rows } = await pool.query<{ input: string; audio_in: string | null; audio_out: string | null }>(
      `SELECT input_per_mtok::text AS input, input_audio_per_mtok::text AS audio_in, output_audio_per_mtok::text AS audio_out
       FROM model_prices WHERE source = 'catalog' AND provider = 'openai' AND model = 'gpt-realtime' AND effective_to IS NULL`,
    );
    expect(rows).toEqual([{ input: "4.000000", audio_in: "32.000000", audio_out: "64.000000" }]);
    const again = await previewCatalog(pool, catalog);
    expect({ added: again.added, changed: again.changed, removed: again.removed }).toEqual({ added: 0, changed: 0, removed: 0 });
  }, 60_000);
});
