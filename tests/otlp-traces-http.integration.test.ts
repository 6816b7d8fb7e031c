// Agent traces counted once over real HTTP: a recorded any-agent run (with the run's totals also on invoke_agent)
// exported to POST /api/v1/otlp/v1/traces split across shuffled requests, alternating OTLP/JSON and protobuf, then
// re-sent whole: usage equals the independent sum over the leaf spans, under the agent; rollups equal raw events.
import { afterAll, beforeAll, expect, test } from "vitest";
import { db } from "@/lib/db";
import { expectRollupsMatchRebuild, startIngestApp, type IngestApp } from "@/lib/ingest/test-utils";
import { anyAgent, expected, otlpJson, protobufBody, shuffledChunks, stored, withAgentAggregate, type Dumped } from "@/tests/helpers/otel-genai";

let app: IngestApp;
beforeAll(async () => {
  app = await startIngestApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

async function send(spans: Dumped[], format: "json" | "protobuf") {
  const res = await fetch(`${app.baseUrl}/api/v1/otlp/v1/traces`, {
    method: "POST",
    headers: { authorization: `Bearer ${app.key}`, "content-type": format === "json" ? "application/json" : "application/x-protobuf" },
    body: format === "json" ? JSON.stringify(otlpJson(spans)) : Buffer.from(protobufBody(spans)),
  });
  expect(res.status).toBe(200);
  if (format === "json") expect(await res.json()).toEqual({});
  else expect((await res.arrayBuffer()).byteLength).toBe(0); // empty ExportTraceServiceResponse: full success
}

test("a recorded agent run split across shuffled OTLP requests counts once, under the agent", async () => {
  const recorded = anyAgent("any-agent_TINYAGENT_trace.json");
  const spans = withAgentAggregate(recorded);
  const chunks = shuffledChunks(spans, 7);
  expect(chunks.length).toBeGreaterThan(1);
  for (const [i, chunk] of chunks.entries()) await send(chunk, i % 2 ? "protobuf" : "json");
  // The API key's source is "test" (startIngestApp).
  expect(await stored("test")).toEqual(expected(recorded));
  await send(spans, "protobuf");
  expect(await stored("test")).toEqual(expected(recorded));
  await expectRollupsMatchRebuild();
});
