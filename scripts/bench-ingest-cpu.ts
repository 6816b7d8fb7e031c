// npm run bench:ingest:cpu [-- --batches 200]
// Node CPU per 1,000-event batch on the ingestion hot path, in-process and without a database: JSON.parse, the
// contract check (parseBatch) and context checks + cost (validateBatch) over bench:ingest's kind of events, with
// LLM calls sent under real model ids in provider/gateway forms and priced by the full catalog (plus unknown ids,
// which end up unpriced). Prints the median and p90 per stage. Budget: 15 ms per 1,000 events in total.
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";

const { values: args } = parseArgs({ options: { batches: { type: "string", default: "200" } } });
const BATCHES = Number(args.batches);

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  const validate = await import("@/lib/ingest/validate");
  let prices: unknown;
  let models: string[];
  try {
    // This branch: the compiled catalog (match rules, tiers, aliases) and real id forms.
    const { waitForUpdate } = await import("@pydantic/genai-prices");
    const { bookFromCatalog } = await import("@/lib/pricing/test-book");
    const { REAL_MODEL_IDS } = await import("@/lib/pricing/real-model-ids.fixture");
    prices = bookFromCatalog((await waitForUpdate()) as never).book;
    models = [...REAL_MODEL_IDS.map((r) => r.id), "mystery-llm-7b", "prod-gpt4o-eastus"];
  } catch {
    // Before the catalog: 16 hand-typed rows matched by exact name.
    const { MODEL_PRICES } = await import("@/lib/pricing/model-prices");
    const { microPrice } = await import("@/lib/pricing/cost");
    prices = MODEL_PRICES.map((p, i) => ({ id: i + 1, model: p.model, currency: "USD", micro: microPrice(p), effectiveFrom: Date.parse(p.effectiveFrom), effectiveTo: p.effectiveTo ? Date.parse(p.effectiveTo) : null }));
    models = MODEL_PRICES.map((p) => p.model);
  }
  const random = mulberry32(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const start = Date.now() - 30 * 86_400_000;
  const batch = (b: number) =>
    JSON.stringify({
      events: Array.from({ length: 1000 }, (_, i) => {
        const kind = random();
        const e: Record<string, unknown> = {
          id: `cpu-${b}-${i}`,
          timestamp: new Date(start + Math.floor(random() * 30 * 86_400_000)).toISOString(),
          agent: `agent-${Math.floor(random() * 30)}`,
          type: kind < 0.6 ? "llm.call" : kind < 0.8 ? "agent.action" : kind < 0.9 ? "agent.conversation" : "task.completed",
          properties: { region: pick(["eu", "us", "apac"]), channel: pick(["chat", "email", "voice"]), attempt: 1 + Math.floor(random() * 3) },
        };
        if (random() < 0.5) e.customer = `customer-${Math.floor(random() * 20)}`;
        if (e.type === "llm.call") {
          e.model = pick(models);
          e.tokens = { input: 200 + Math.floor(random() * 4000), output: 50 + Math.floor(random() * 1000), cache_read: Math.floor(random() * 2000) };
          if (random() < 0.5) e.cost = { amount: (random() * 0.05).toFixed(6), currency: "USD" };
        }
        if (e.type === "task.completed") e.task = { type: "case_resolution", handled_by: "agent", status: "completed", duration_seconds: random() * 600 };
        return e;
      }),
    });
  const bodies = Array.from({ length: BATCHES + 20 }, (_, b) => batch(b));
  const ctx = { currency: "USD", now: Date.now(), maxClockSkewSeconds: 300, departments: new Map<string, number>(), prices } as never;
  const times: { parse: number; contract: number; context: number }[] = [];
  bodies.forEach((body, b) => {
    const t0 = performance.now();
    const json = JSON.parse(body) as { events: unknown[] };
    const t1 = performance.now();
    const parsed = validate.parseBatch(json.events);
    const t2 = performance.now();
    const result = validate.validateBatch(parsed, ctx);
    const t3 = performance.now();
    if (result.rejected.length) throw new Error(`unexpected rejections: ${JSON.stringify(result.rejected[0])}`);
    if (b >= 20) times.push({ parse: t1 - t0, contract: t2 - t1, context: t3 - t2 }); // the first 20 warm the JIT and the id cache
  });
  const stat = (k: keyof (typeof times)[number] | "total") => {
    const v = times.map((t) => (k === "total" ? t.parse + t.contract + t.context : t[k])).sort((a, b) => a - b);
    return `${v[Math.floor(v.length / 2)]!.toFixed(1)} ms (p90 ${v[Math.floor(v.length * 0.9)]!.toFixed(1)})`;
  };
  console.log(`Node CPU per 1,000 events over ${times.length} batches, ${models.length} distinct model ids:`);
  console.log(`  JSON.parse               ${stat("parse")}`);
  console.log(`  contract check           ${stat("contract")}`);
  console.log(`  context checks + cost    ${stat("context")}`);
  console.log(`  total                    ${stat("total")}  (budget 15 ms)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
