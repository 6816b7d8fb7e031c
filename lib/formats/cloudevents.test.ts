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
        id: "/agents/triage evt-1",
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
      "datacontenttype: must be JSON (application/json or +json); other data is not accepted",
      "data.id: not allowed, set the CloudEvents attribute instead",
    ]);
  });

  test("without subject or data.agent, agent is left out for validation to report", () => {
    const result = cloudEventToEvent({ ...ce, subject: undefined, data: {} });
    expect(result.ok && "agent" in result.event).toBe(false);
  });
});

describe("CloudEvents 1.0 rules", () => {
  const received = new Date("2026-11-05T12:00:00.000Z");

  test("a null attribute is unset (datacontenttype, extensions, data)", () => {
    const result = cloudEventToEvent({ ...ce, datacontenttype: null, tenant: null, data: null, subject: "bot" });
    expect(result).toEqual({ ok: true, event: { id: "/agents/triage evt-1", timestamp: ce.time, type: ce.type, agent: "bot", properties: { ce_source: "/agents/triage" } } });
  });

  test("identity is source + id: the same id from two sources is two events", () => {
    const a = cloudEventToEvent({ ...ce, source: "/a" });
    const b = cloudEventToEvent({ ...ce, source: "/b" });
    expect(a.ok && b.ok && a.event.id !== b.event.id).toBe(true);
    const long = cloudEventToEvent({ ...ce, source: `/${"s".repeat(120)}`, id: "x".repeat(20) });
    expect(long.ok && long.event.id).toMatch(/^ce-sha256:[0-9a-f]{64}$/);
    expect(cloudEventToEvent({ ...ce, source: "/has space" })).toEqual({ ok: false, errors: ["source: must be a URI-reference (no whitespace)"] });
  });

  test("a missing time is the time of receipt, flagged on the event", () => {
    const result = cloudEventToEvent({ ...ce, time: undefined, tenant: undefined, data: {} }, received);
    expect(result.ok && result.event).toMatchObject({ timestamp: "2026-11-05T12:00:00.000Z", properties: { ce_source: "/agents/triage", ce_time_missing: true } });
  });

  test("data_base64 carrying JSON is decoded; anything else is refused with the reason", () => {
    const data_base64 = Buffer.from(JSON.stringify({ quantity: 4 })).toString("base64");
    const result = cloudEventToEvent({ ...ce, data: undefined, data_base64 });
    expect(result.ok && result.event.quantity).toBe(4);
    expect(cloudEventToEvent({ ...ce, data: undefined, data_base64: Buffer.from("not json").toString("base64") })).toEqual({ ok: false, errors: ["data_base64: must carry UTF-8 JSON (only JSON data is accepted)"] });
    expect(cloudEventToEvent({ ...ce, data: undefined, data_base64: "%%%" })).toEqual({ ok: false, errors: ["data_base64: must be base64 (RFC 4648)"] });
    expect(cloudEventToEvent({ ...ce, data_base64 })).toEqual({ ok: false, errors: ["data_base64: not allowed together with data"] });
  });

  test("binary mode: quoted header values are unquoted, invalid UTF-8 is rejected, no data is fine", () => {
    const base = { "ce-specversion": "1.0", "ce-id": "q-1", "ce-source": "/x", "ce-type": "t", "ce-time": "2026-11-01T10:00:00Z" };
    const quoted = fromBinary(new Headers({ ...base, "ce-subject": '"agent \\"one\\""' }), undefined, null);
    expect(quoted.events[0]).toMatchObject({ agent: 'agent "one"' });
    const bad = fromBinary(new Headers({ ...base, "ce-subject": "a%C0%A0b" }), undefined, null);
    expect(bad.events).toEqual([]);
    expect(bad.rejected).toEqual([{ index: 0, id: "q-1", errors: ["ce-subject: not valid percent-encoded UTF-8"] }]);
    const noData = fromBinary(new Headers({ ...base, "ce-subject": "bot" }), undefined, null);
    expect(noData.events[0]).toEqual({ id: "/x q-1", timestamp: base["ce-time"], type: "t", agent: "bot", properties: { ce_source: "/x" } });
    expect(noData.identities).toEqual([{ source: "/x", id: "q-1" }]);
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
      id: "/x b-1",
      timestamp: "2026-11-01T10:00:00Z",
      type: "llm.call",
      agent: "agent one",
      model: "gpt-4o",
      tokens: { input: 3 },
      properties: { ce_source: "/x", region: "eu" },
    });
  });
});
