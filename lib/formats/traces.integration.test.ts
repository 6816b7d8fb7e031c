// Agent traces counted once, on recorded traces (tests/fixtures/otel-genai, real any-agent and OpenInference runs;
// provenance in its README). The SDK span dumps are converted to OTLP/JSON and OTLP/protobuf requests here, then
// ingested whole and split across requests in shuffled order: usage equals an independent sum over the leaf
// spans' usage attributes, attributed to the agent; re-sent spans change nothing; two concurrent requests of one
// trace do not double count; a late span after the trace settled is an adjustment; rollups equal raw events.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import type { UserCaller } from "@/lib/auth/caller";
import { generateDrafts } from "@/lib/billing/generate";
import { finalizeInvoice } from "@/lib/billing/lifecycle";
import { createCatalog } from "@/lib/billing/test-fixtures";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { anyAgent, expected, num, openInference, shuffledChunks, stored, wire, withAgentAggregate, type Dumped } from "@/tests/helpers/otel-genai";
import { collectSpans } from "./otlp";
import { desiredCounts, ingestTraces, settleTraces } from "./traces";

const RECORDED: [string, Dumped[]][] = [
  ["agno", anyAgent("any-agent_AGNO_trace.json")],
  ["llama-index", anyAgent("any-agent_LLAMA_INDEX_trace.json")],
  ["smolagents", anyAgent("any-agent_SMOLAGENTS_trace.json")],
  ["tinyagent", anyAgent("any-agent_TINYAGENT_trace.json")],
  ["vercel-ai", openInference("openinference-vercel-v6_all-spans.json")],
];
const SEEDS = [1, 2, 3];
const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  forgetOrgSettings();
});

afterAll(async () => {
  await db.$disconnect();
});

describe("recorded traces, counted once", () => {
  test("the fixtures are what the README says: any-agent leaves carry the usage, invoke_agent names the agent", () => {
    for (const [name, spans] of RECORDED.slice(0, 4)) {
      const e = expected(spans);
      expect(Object.keys(e), name).toEqual(["any_agent"]);
      expect(e.any_agent!.input, name).toBeGreaterThanOrEqual(1020);
    }
    expect(Object.keys(expected(RECORDED[4]![1]))).toEqual(["vercel-app"]);
  });

  for (const [name, recorded] of RECORDED) {
    for (const variant of ["as recorded", "with totals on invoke_agent"] as const) {
      const spans = variant === "as recorded" ? recorded : withAgentAggregate(recorded);
      for (const format of ["json", "protobuf"] as const) {
        test(`${name}, ${variant}, OTLP/${format}: whole, then split and shuffled (seeds ${SEEDS.join(", ")})`, async () => {
          const want = expected(recorded);
          const genAi = collectSpans(wire(spans, format)).filter((s) => s.event).length;
          const whole = `${name}-${variant === "as recorded" ? "r" : "a"}-${format}-whole`;
          const first = await ingestTraces(whole, collectSpans(wire(spans, format)), UNRESTRICTED);
          expect(first).toEqual({ accepted: genAi, duplicates: 0, rejected: [] });
          expect(await stored(whole)).toEqual(want);
          // Re-sent whole: nothing changes.
          expect(await ingestTraces(whole, collectSpans(wire(spans, format)), UNRESTRICTED)).toEqual({ accepted: 0, duplicates: genAi, rejected: [] });
          expect(await stored(whole)).toEqual(want);

          for (const seed of SEEDS) {
            const source = `${name}-${variant === "as recorded" ? "r" : "a"}-${format}-${seed}`;
            let accepted = 0;
            for (const chunk of shuffledChunks(spans, seed)) accepted += (await ingestTraces(source, collectSpans(wire(chunk, format)), UNRESTRICTED)).accepted;
            expect(accepted, `seed ${seed}`).toBe(genAi);
            expect(await stored(source), `seed ${seed}`).toEqual(want);
            // Every span re-sent, in another order: nothing changes.
            for (const chunk of shuffledChunks(spans, seed + 100)) await ingestTraces(source, collectSpans(wire(chunk, format)), UNRESTRICTED);
            expect(await stored(source), `seed ${seed} re-sent`).toEqual(want);
          }
        });
      }
    }
  }

  test("an ancestor's aggregate is counted while alone, reversed when a usage-carrying child arrives; children move to the agent", async () => {
    const spans = withAgentAggregate(RECORDED[0]![1]);
    const agent = spans.find((s) => s.attributes["gen_ai.operation.name"] === "invoke_agent")!;
    const total = { input: num(agent.attributes["gen_ai.usage.input_tokens"]), output: num(agent.attributes["gen_ai.usage.output_tokens"]) };
    const leaf = spans.find((s) => s.spanId !== agent.spanId && s.attributes["gen_ai.usage.input_tokens"] !== undefined)!;
    // A leaf alone: counted at once under service.name.
    await ingestTraces("late", collectSpans(wire([leaf], "json")), UNRESTRICTED);
    expect(await stored("late")).toEqual({ unknown_service: { input: num(leaf.attributes["gen_ai.usage.input_tokens"]), output: num(leaf.attributes["gen_ai.usage.output_tokens"]) } });
    // The agent span arrives: its aggregate does not count (a child with usage is known); the leaf moves to the agent.
    await ingestTraces("late", collectSpans(wire([agent], "json")), UNRESTRICTED);
    expect(await stored("late")).toEqual({ any_agent: { input: num(leaf.attributes["gen_ai.usage.input_tokens"]), output: num(leaf.attributes["gen_ai.usage.output_tokens"]) } });
    const links = await pool.query<{ event_key: string; correction_kind: string | null; event_sign: number }>(
      "SELECT event_key, correction_kind, event_sign FROM usage_events WHERE source = 'late' ORDER BY event_key",
    );
    expect(links.rows.map((r) => [r.event_key, r.correction_kind, r.event_sign])).toEqual([
      [leaf.spanId, null, 1],
      [`${leaf.spanId}~reversal`, "reversal", -1],
      [`${leaf.spanId}~v1`, "correction", 1],
    ]);

    // Agent first in another trace source: its aggregate counts provisionally, then a child reverses it.
    await ingestTraces("agent-first", collectSpans(wire([agent], "protobuf")), UNRESTRICTED);
    expect(await stored("agent-first")).toEqual({ any_agent: total });
    await ingestTraces("agent-first", collectSpans(wire([leaf], "protobuf")), UNRESTRICTED);
    expect(await stored("agent-first")).toEqual({ any_agent: { input: num(leaf.attributes["gen_ai.usage.input_tokens"]), output: num(leaf.attributes["gen_ai.usage.output_tokens"]) } });
    const reversed = await pool.query("SELECT 1 FROM usage_events WHERE source = 'agent-first' AND event_key = $1 AND correction_kind = 'reversal'", [`${agent.spanId}~reversal`]);
    expect(reversed.rowCount).toBe(1);
  });

  test("two requests of one trace at once do not double count", async () => {
    for (const seed of SEEDS) {
      const spans = withAgentAggregate(RECORDED[3]![1]);
      const source = `concurrent-${seed}`;
      const chunks = shuffledChunks(spans, seed);
      const half = Math.ceil(chunks.length / 2);
      await Promise.all([
        ingestTraces(source, collectSpans(wire(chunks.slice(0, half).flat(), "json")), UNRESTRICTED),
        ingestTraces(source, collectSpans(wire(chunks.slice(half).flat(), "protobuf")), UNRESTRICTED),
        ingestTraces(source, collectSpans(wire(spans, "json")), UNRESTRICTED),
      ]);
      expect(await stored(source), `seed ${seed}`).toEqual(expected(RECORDED[3]![1]));
    }
  });

  test("concurrent requests carrying parts of several traces each: no deadlock, each trace counted once", async () => {
    const runs = RECORDED.slice(0, 4).map(([, spans]) => withAgentAggregate(spans));
    const all = runs.flat();
    await Promise.all(SEEDS.map((seed) => {
      const chunks = shuffledChunks(all, seed * 31);
      return (async () => {
        for (const chunk of chunks) await ingestTraces("multi", collectSpans(wire(chunk, seed % 2 ? "json" : "protobuf")), UNRESTRICTED);
      })();
    }));
    const want = { input: 0, output: 0 };
    for (const [, spans] of RECORDED.slice(0, 4)) {
      want.input += expected(spans).any_agent!.input;
      want.output += expected(spans).any_agent!.output;
    }
    expect(await stored("multi")).toEqual({ any_agent: want });
  });

  test("a span arriving after the trace settled, into a finalized period, corrects it as a late adjustment", async () => {
    const spans = RECORDED[2]![1];
    const agent = spans.find((s) => s.attributes["gen_ai.operation.name"] === "invoke_agent")!;
    const rest = spans.filter((s) => s !== agent);
    await ingestTraces("settle", collectSpans(wire(rest, "json")), UNRESTRICTED);
    await pool.query("UPDATE otlp_traces SET last_span_at = now() - interval '1 hour' WHERE source = 'settle'");
    expect(await settleTraces()).toBeGreaterThanOrEqual(1);
    expect(await settleTraces()).toBe(0);
    // The run's month (2025-09) is invoiced and finalized meanwhile.
    const catalog = await createCatalog();
    const customer = await db.customer.create({ data: { key: "initech", name: "Initech", plans: { create: { planId: catalog.plans.growth.id, effectiveFrom: catalog.from } } } });
    await generateDrafts("2025-09", admin, [customer.id]);
    await finalizeInvoice((await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2025-09" } })).id, admin);

    await ingestTraces("settle", collectSpans(wire([agent], "json")), UNRESTRICTED);
    expect(await stored("settle")).toEqual(expected(spans));
    const flagged = await pool.query<{ n: number; late: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE late)::int AS late FROM usage_events WHERE source = 'settle' AND properties->>'trace_adjustment' = 'settled'",
    );
    const genAi = rest.filter((s) => s.attributes["gen_ai.operation.name"] !== undefined).length;
    // A reversal and a re-attributed event per GenAI span, all late (the next draft carries them).
    expect(flagged.rows[0]).toEqual({ n: 2 * genAi, late: 2 * genAi });
  });

  test("nearest invoke_agent wins, also when a nearer agent arrives last", () => {
    const span = (id: string, parent: string | null, op: string | null, agent: string | null, usage: boolean) => ({
      span_id: id, parent_span_id: parent, operation: op, agent, has_usage: usage, event: op ? { agent: "svc" } : null,
    });
    const counts = desiredCounts([
      span("a", null, "invoke_agent", "outer", true),
      span("b", "a", "invoke_agent", "inner", false),
      span("w", "b", null, null, false), // a plain span between agent and chat
      span("c", "w", "chat", null, true),
      span("t", "a", "execute_tool", null, false),
    ]);
    expect(Object.fromEntries(counts)).toEqual({
      a: { counts: false, agent: "outer" },
      b: { counts: true, agent: "inner" },
      c: { counts: true, agent: "inner" },
      t: { counts: true, agent: "outer" },
    });
  });

  test("rollups equal raw events after all of the above", async () => {
    await expectRollupsMatchRebuild();
  });
});
