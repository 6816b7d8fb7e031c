// The snippets point at routes that exist and send an event the ingestion schema accepts.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { EnvelopeSchema, EventSchema } from "@/lib/ingest/schemas";
import { snippets } from "./snippet-text";

const s = snippets("https://ledger.example.com", "al_example", "EUR", "2026-12-01T10:00:00Z");
const routeExists = (urlPath: string) => fs.existsSync(path.join(__dirname, "../../app", urlPath, "route.ts"));

describe("first-event snippets", () => {
  test("the OpenTelemetry exporter is pointed at the OTLP traces route, with the key percent-encoded per the OTel spec", () => {
    const endpoint = /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=(\S+)/.exec(s.otel)![1]!;
    expect(endpoint).toBe("https://ledger.example.com/api/v1/otlp/v1/traces");
    expect(routeExists(new URL(endpoint).pathname)).toBe(true);
    expect(s.otel).toContain('OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20al_example"');
  });

  test("curl, Python and TypeScript post to the events route; curl's body is a valid event in the organization's currency", () => {
    expect(routeExists("/api/v1/events")).toBe(true);
    for (const code of [s.curl, s.python]) expect(code).toContain("https://ledger.example.com/api/v1/events");
    expect(s.typescript).toContain('baseUrl: "https://ledger.example.com"');
    const body = JSON.parse(/-d '(.*)'$/m.exec(s.curl)![1]!) as { events: unknown[] };
    const envelope = EnvelopeSchema.parse(body);
    const event = EventSchema.parse(envelope.events[0]);
    expect(event.cost).toEqual({ amount: "0.0125", currency: "EUR" });
    expect(s.curl).toContain("export AGENTLEDGER_API_KEY=al_example");
  });
});
