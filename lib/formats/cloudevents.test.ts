import { describe, expect, test } from "vitest";
import { cloudEventToEvent, fromBatch, fromBinary, fromStructured } from "./cloudevents";

const ce = {
  specversion: "1.0",
  id: "evt-1",
  source: "/agents/triage",
  type: "agent.action",
  time: "2026-11-01T10:00:00Z",
  subject: "triage-bot",
  datacontenttype: "application/json",
  data: { quantity: 2, cost: { amount: "0.5", currency: "USD" }, properties: { channel: "chat" } },
  tenant: "acme",
};

describe("cloudEventToEvent", () => {
  test("maps context attributes, data and extensions", () => {
    const result = cloudEventToEvent(ce);
    expect(result).toEqual({
      ok: true,
      event: {
        id: "evt-1",
        timestamp: "2026-11-01T10:00:00Z",
        type: "agent.action",
        agent: "triage-bot",
        quantity: 2,
        cost: { amount: "0.5", currency: "USD" },
        properties: { ce_source: "/agents/triage", tenant: "acme", channel: "chat" },
      },
    });
  });

  test("data.agent wins over subject; data without properties still gets ce_source", () => {
    const result = cloudEventToEvent({ ...ce, data: { agent: "other" }, tenant: undefined });
    expect(result.ok && result.event.agent).toBe("other");
    expect(result.ok && result.event.properties).toEqual({ ce_source: "/agents/triage", tenant: undefined });
  });

  test("reports what a CloudEvent lacks", () => {
    const result = cloudEventToEvent({ specversion: "0.3", data: { id: "x" }, datacontenttype: "text/plain" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'specversion: must be "1.0"',
      "id: required (CloudEvents context attribute)",
      "source: required (CloudEvents context attribute)",
      "type: required (CloudEvents context attribute)",
      "time: required (it becomes the event timestamp)",
      "data: must be JSON (datacontenttype application/json)",
      "data.id: not allowed, set the CloudEvents attribute instead",
    ]);
  });

  test("without subject or data.agent, agent is left out for validation to report", () => {
    const result = cloudEventToEvent({ ...ce, subject: undefined, data: {} });
    expect(result.ok && "agent" in result.event).toBe(false);
  });
});

describe("modes", () => {
  test("structured and batched keep payload indexes", () => {
    expect(fromStructured(ce).events).toHaveLength(1);
    const batch = fromBatch([ce, 42, { ...ce, id: "evt-2" }]);
    expect(batch.origin).toEqual([0, 2]);
    expect(batch.rejected).toEqual([{ index: 1, id: null, errors: ["(event): must be a CloudEvent JSON object"] }]);
  });

  test("binary reads ce-* headers, percent-decoded", () => {
    const headers = new Headers({
      "ce-specversion": "1.0",
      "ce-id": "b-1",
      "ce-source": "/x",
      "ce-type": "llm.call",
      "ce-time": "2026-11-01T10:00:00Z",
      "ce-subject": "agent%20one",
      "ce-region": "eu",
      "content-type": "application/json",
    });
    const batch = fromBinary(headers, { model: "gpt-4o", tokens: { input: 3 } }, "application/json");
    expect(batch.events[0]).toEqual({
      id: "b-1",
      timestamp: "2026-11-01T10:00:00Z",
      type: "llm.call",
      agent: "agent one",
      model: "gpt-4o",
      tokens: { input: 3 },
      properties: { ce_source: "/x", region: "eu" },
    });
  });
});
