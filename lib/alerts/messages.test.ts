// Message rendering per channel: Slack's limits hold for any input, mrkdwn control characters are escaped, email
// subjects stay on one line.
import { describe, expect, test } from "vitest";
import { SLACK_LIMITS, emailMessage, noticeOf, slackMessage, type Notice } from "./messages";

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
