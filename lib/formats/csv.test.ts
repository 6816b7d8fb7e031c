import { expect, test } from "vitest";
import { csvRowToEvent, defaultMapping } from "./csv";

test("default mapping takes columns named like fields, and properties.*", () => {
  expect(defaultMapping(["id", "timestamp", "cost.amount", "properties.region", "junk"])).toEqual({
    id: "id",
    timestamp: "timestamp",
    "cost.amount": "cost.amount",
    "properties.region": "properties.region",
  });
});

test("maps nested fields, numbers for tokens, leaves empty cells out", () => {
  const mapping = { id: "event_id", timestamp: "ts", agent: "bot", type: "kind", quantity: "qty", "cost.amount": "usd", "cost.currency": "cur", "tokens.input": "in", "task.duration_seconds": "secs", "properties.region": "region", customer: "cust" };
  const row = { event_id: "e1", ts: "2026-01-01T00:00:00Z", bot: "a", kind: "llm.call", qty: "1.5", usd: "0.10", cur: "USD", in: "42", secs: "3.5", region: "eu", cust: "" };
  expect(csvRowToEvent(row, mapping)).toEqual({
    id: "e1",
    timestamp: "2026-01-01T00:00:00Z",
    agent: "a",
    type: "llm.call",
    quantity: "1.5",
    cost: { amount: "0.10", currency: "USD" },
    tokens: { input: 42 },
    task: { duration_seconds: 3.5 },
    properties: { region: "eu" },
  });
  expect(csvRowToEvent({ in: "4x" }, { "tokens.input": "in" })).toEqual({ tokens: { input: "4x" } });
});
