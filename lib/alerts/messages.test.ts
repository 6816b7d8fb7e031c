// Message rendering per channel: Slack's limits hold for any input, mrkdwn control characters are escaped, email
// subjects stay on one line.
import { Ajv } from "ajv";
import draft6 from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
import { describe, expect, test } from "vitest";
import { SLACK_LIMITS, emailMessage, noticeOf, slackMessage, teamsMessage, type Notice } from "./messages";
import adaptiveCardSchema from "./vendor/adaptive-card-1.5/adaptive-card.json" with { type: "json" };

const huge: Notice = { title: "t".repeat(500), text: "<@channel> & ".repeat(1000), facts: Array.from({ length: 30 }, (_, i) => [`k${i}`, "v".repeat(3000)] as [string, string]), link: "https://app.example.com/alerts" };

describe("Slack", () => {
  test("every text is cut to its limit and the blocks stay under 50", () => {
    const m = slackMessage(huge);
    expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const [header, section, fields] = m.blocks as unknown as [{ text: { text: string } }, { text: { text: string } }, { fields: { text: string }[] }];
    expect(header.text.text).toHaveLength(SLACK_LIMITS.headerText);
    expect(section.text.text).toHaveLength(SLACK_LIMITS.sectionText);
    expect(fields.fields).toHaveLength(SLACK_LIMITS.fields);
    for (const f of fields.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
  });

  test("&, < and > are escaped so an alert message cannot ping @channel", () => {
    const m = slackMessage({ ...huge, text: "<!channel> A&B" });
    expect(JSON.stringify(m.blocks[1])).toContain("&lt;!channel&gt; A&amp;B");
  });
});

test("an email subject never carries a line break (header injection)", () => {
  const n = noticeOf("alert.opened", { alert: { kind: "budget", department: "X\r\nBcc: evil@example.com", period: "2026-11", status: "open", message: "m", value: "1", threshold: "1" } }, null);
  expect(emailMessage(n, null).subject).not.toMatch(/[\r\n]/);
});

test("a digest names its scope and period, puts the total first (Slack shows 10 fields) and counts events awaiting FX", () => {
  const report = { from: "2026-11-30", to: "2026-12-06", department: "MKT", scopeName: "Marketing (MKT)", currency: "USD", total: "1234.50", events: 42, budget: null, budgetUsed: null, fxPending: 3,
    lines: Array.from({ length: 10 }, (_, i) => ({ label: `agent-${i}`, cost: "10.00" })) };
  const n = noticeOf("digest.weekly", { report }, "https://app.example.com");
  expect(n.title).toBe("Weekly spend digest: Marketing (MKT), 2026-11-30 – 2026-12-06");
  expect(n.text).toBe("Marketing (MKT) spent $1,234.50 over 42 events in 2026-11-30 – 2026-12-06. 3 events still await an FX rate and count as 0.");
  expect(n.link).toBe("https://app.example.com/events?from=2026-11-30&to=2026-12-06&department=MKT");
  const fields = (slackMessage(n).blocks[2] as unknown as { fields: { text: string }[] }).fields;
  expect(fields[0]!.text).toBe("*Total*\n$1,234.50");
});

describe("issue 21's newer notices render for every channel", () => {
  // The Teams card is checked against the vendored Adaptive Card 1.5 schema, as channels.integration.test.ts does.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addMetaSchema(draft6);
  const { id: schemaId, ...cardSchema } = adaptiveCardSchema as { id: string } & Record<string, unknown>;
  const validateCard = ajv.compile({ $id: schemaId, ...cardSchema });
  const app = "https://app.example.com";
  const notices: [string, unknown][] = [
    ["invoice.finalized", { invoice: { id: 7, number: "INV-000012", period: "2026-10", customer: "Stark", currency: "EUR", total: "1234.50", dueDate: "2026-12-01" } }],
    ["invoices.run", { run: { period: "2026-10", action: "finalize", by: "alice@test", invoices: [{ status: "finalized", currency: "EUR", count: 2, total: "99.00" }], finalized: 2, failed: 0, needsApproval: 1 } }],
    ["alert.opened", { alert: { kind: "anomaly", department: "MKT", period: "2026-11-30", status: "open", message: "m. Driven by model claude", value: "1", threshold: "1", link: "/usage?from=2026-11-30&to=2026-11-30&model=claude&groupBy=model" } }],
    ["statement.monthly", { report: { from: "2026-11-01", to: "2026-11-30", department: "MKT", scopeName: "Marketing (MKT)", currency: "USD", total: "10.00", events: 1, budget: null, budgetUsed: null, fxPending: 0, lines: [{ label: "bot", cost: "10.00" }] } }],
  ];
  test.each(notices)("%s", (event, payload) => {
    const n = noticeOf(event, payload, app);
    expect(n.link?.startsWith(app)).toBe(true);
    const card = teamsMessage(n).attachments[0]!.content;
    expect(validateCard(card), JSON.stringify(validateCard.errors)).toBe(true);
    expect(slackMessage(n).blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  });

  test("the texts say what happened", () => {
    expect(noticeOf(...notices[0]!, app)).toMatchObject({ title: "Invoice INV-000012 finalized for Stark (2026-10)", link: `${app}/invoices/7` });
    expect(noticeOf(...notices[1]!, app).text).toBe("Invoice run for 2026-10 by alice@test: 2 finalized, 1 awaiting approval, 0 failed. The period now has 2 finalized (€99.00).");
    expect(noticeOf(...notices[2]!, app).link).toBe(`${app}/usage?from=2026-11-30&to=2026-11-30&model=claude&groupBy=model`);
    expect(noticeOf(...notices[3]!, app).facts.slice(1, 3)).toEqual([
      ["Statement CSV", `${app}/api/v1/allocation/MKT?period=2026-11&format=csv`],
      ["Statement PDF", `${app}/api/v1/allocation/MKT?period=2026-11&format=pdf`],
    ]);
  });
});
