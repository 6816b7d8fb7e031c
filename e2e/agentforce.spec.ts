// Agentforce journey: an admin connects an org (a local fake serving the Data 360 endpoints, this release spelling
// its objects `X_std__dlm`), picks the three presets, previews the resolved objects and sample rows, syncs, and finds
// the sessions as agent tasks on Workload, the imported events and the credits' cost on Overview, and that cost on
// Allocation. Overview and Allocation figures are compared before and after the sync (the other specs' data stays
// put, CI runs one worker): the changes are computed from the fake org's rows and the connection's credit rate. The
// org also reports the service agent's billing mode (Metadata API), read back through the agents API.
import type { Page } from "@playwright/test";
import { expect, loginAs, test } from "./fixtures";
import { startFakeOrg, type FakeOrg } from "../tests/helpers/fake-data360-org";

const run = Date.now().toString(36);
const service = `af-service-${run}`;
let org: FakeOrg;

test.beforeAll(async () => {
  org = await startFakeOrg("std");
  const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
  org.state.runningPolls = 1;
  org.state.rows = {
    TenantEnrichedUsageEvent: [20, 40, 60].map((units, i) => ({ Id: `tue-${run}-${i}`, EventTime: at(30 - i), UnitsConsumed: units, UsageValue: units / 20, Multiplier: 20, ResourceIdOrApiName: "Create_Case", FeatureDeveloperName: "Agentforce", UsageTypeDeveloperName: "Actions", UsageSubtype0: "Custom Agent Action", CardDefinitionDeveloperName: "FlexCredits" })),
    AiAgentGenerativeAiUsage: [0, 1].map((i) => ({ Id: `gai-${run}-${i}`, EventTimestamp: at(30 - i), AgentDeveloperName: service, AgentIdentifier: "0Xx1", AgentTypeCode: "EinsteinServiceAgent", AiAgentSessionId: `s-${run}-${i}`, AiAgentInteractionId: `int-${i}`, AiAgentToolName: "Create_Case", GenAiGatewayModelName: "llmgateway__GPT41", ModelProviderName: "OpenAI", PromptInputTokenCount: 1000, PromptCompletionTokenCount: 200, IsBillableIndicator: true, IsMeteredIndicator: true, MeteringSkipReasonCode: null })),
    AiAgentSession: ["Escalated", "Resolved"].map((endType, i) => ({ Id: `s-${run}-${i}`, StartTimestamp: at(31 - i), EndTimestamp: at(30.9 - i), AiAgentChannelType: "Messaging", AiAgentSessionEndType: endType, RelatedMessagingSessionId: null, RelatedVoiceCallId: null })),
    // The org's daily totals: the events' credits per UTC day, and 20 more on the last day, after the last synced event.
    TenantDailyEntitlementConsumption: [],
    AiAgentSessionParticipant: [0, 1].map((i) => ({ Id: `p-${run}-${i}`, AiAgentSessionId: `s-${run}-${i}`, AiAgentApiName: service, AiAgentVersionApiName: "v1", AiAgentType: "EinsteinServiceAgent", ParticipantRole: "AGENT" })),
  };
  const byDay = new Map<string, number>();
  for (const r of org.state.rows.TenantEnrichedUsageEvent!) byDay.set(String(r.EventTime).slice(0, 10), (byDay.get(String(r.EventTime).slice(0, 10)) ?? 0) + Number(r.UnitsConsumed));
  const days = [...byDay.keys()].sort();
  org.state.rows.TenantDailyEntitlementConsumption = days.map((day, i) => {
    const units = byDay.get(day)! + (i === days.length - 1 ? 20 : 0);
    return { Id: `d-${run}-${i}`, UtilizationDate: day, CardDefinitionDeveloperName: "FlexCredits", UsageConsumed: units / 20, UnitsConsumed: units, Multiplier: 20, Unit: "Credits", UsageAggregationType: "Sum" };
  });
  // The service agent's latest version is billed per outcome (AiAgentDefinitionVersion.billingMode).
  org.state.agentVersions = { [`${service}#1`]: "ActionBased", [`${service}#2`]: "OutcomeBased" };
});

/** A displayed amount ("$1,234.56", "-$0.60") in cents. */
const cents = (text: string) => Math.round(Number(text.replace(/[^\d.-]/g, "")) * 100);
/** Local day (YYYY-MM-DD) of an instant in the organization's time zone. */
const localDay = (iso: string, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));

async function overviewFigures(page: Page, from: string, to: string) {
  await page.goto(`/?from=${from}&to=${to}`);
  return { spend: cents(await page.getByTestId("overview-spend").innerText()), events: Number((await page.getByTestId("overview-events").innerText()).replace(/,/g, "")) };
}
async function allocationTotal(page: Page, period: string) {
  await page.goto(`/allocation?period=${period}`);
  return cents(await page.getByTestId("allocation-total").innerText());
}

test.afterAll(async () => {
  await org.close();
});

test("admin connects an org with the Agentforce presets, previews, syncs, and sees it on Overview, Allocation and Workload", async ({ page }) => {
  const name = `Agentforce org ${run}`;
  await loginAs(page, "admin");

  // What the sync will add, from the fake org's rows: every row an event; the credits' cost per local month.
  const { timeZone } = (await (await page.request.get("/api/v1/settings")).json()) as { timeZone: string };
  const rows = org.state.rows;
  const credits = rows.TenantEnrichedUsageEvent!;
  const imported = credits.length + rows.AiAgentGenerativeAiUsage!.length + rows.AiAgentSession!.length;
  const instants = [...credits.map((r) => String(r.EventTime)), ...rows.AiAgentGenerativeAiUsage!.map((r) => String(r.EventTimestamp)), ...rows.AiAgentSession!.map((r) => String(r.StartTimestamp))];
  const days = instants.map((t) => localDay(t, timeZone)).sort();
  const [from, to] = [days[0]!, days[days.length - 1]!];
  const creditsPerMonth = new Map<string, number>();
  for (const r of credits) creditsPerMonth.set(localDay(String(r.EventTime), timeZone).slice(0, 7), (creditsPerMonth.get(localDay(String(r.EventTime), timeZone).slice(0, 7)) ?? 0) + Number(r.UnitsConsumed));
  const before = { overview: await overviewFigures(page, from, to), allocation: new Map<string, number>() };
  for (const month of creditsPerMonth.keys()) before.allocation.set(month, await allocationTotal(page, month));

  await page.goto("/admin/connectors");

  await test.step("connect with the three presets, no object names", async () => {
    await page.getByLabel("Connection name").fill(name);
    await page.getByLabel("Instance URL").fill(org.url);
    await page.getByLabel("Client id").fill("3MVG9-af");
    await page.getByLabel(/^Client secret/).fill("af-secret");
    for (const preset of ["Flex Credit consumption", "Agentforce token usage", "Agentforce sessions"]) await page.getByRole("checkbox", { name: new RegExp(preset) }).check();
    await page.getByRole("button", { name: "Connect org" }).click();
  });

  const connection = page.getByRole("region", { name: `Salesforce connection ${name}` });
  await test.step("preview: this release's object names and sample rows, before any sync", async () => {
    await expect(connection).toContainText("schedule paused");
    await connection.getByRole("button", { name: "Preview presets" }).click();
    const sessions = connection.getByRole("region", { name: "Preview Agentforce sessions" });
    await expect(sessions).toContainText("AiAgentSession_std__dlm");
    await expect(sessions).toContainText("EndTimestamp__c");
    await expect(sessions).toContainText("escalated");
    await expect(connection.getByRole("region", { name: "Preview Flex Credit consumption" })).toContainText("TenantEnrichedUsageEvent__dlm");
    await expect(connection.getByTestId("salesforce-last-run")).toHaveCount(0);
  });

  await test.step("sync: 3 credit events, 2 token events, 2 sessions", async () => {
    await connection.getByRole("button", { name: "Sync now" }).click();
    await expect(connection.getByTestId("salesforce-last-run")).toContainText("succeeded", { timeout: 30_000 });
    await expect(connection.getByTestId("salesforce-last-run")).toContainText("7 imported");
    await connection.getByRole("button", { name: "Enable scheduled sync" }).click();
    await expect(connection).not.toContainText("schedule paused");
  });

  await test.step("reconciliation: 120 credits here, 140 in the org's daily totals, the 20 after the watermark", async () => {
    await connection.getByRole("button", { name: "Reconcile" }).click();
    const months = connection.getByRole("region", { name: "Credits per month" });
    await expect(months.getByRole("row").filter({ hasText: "140" })).toContainText("120");
    await expect(connection.getByRole("region", { name: "Days or hours that differ" })).toContainText("not synced yet"); // the watermark is inside that day
    await expect(connection).toContainText("monthly Digital Wallet statement is authoritative");
  });

  await test.step("Overview: the imported events and the credits' cost at the connection's credit rate", async () => {
    const { connections } = (await (await page.request.get("/api/v1/salesforce/connections")).json()) as { connections: { name: string; settings: { creditRate: { amount: string; perCredits: number } } }[] };
    const rate = connections.find((c) => c.name === name)!.settings.creditRate;
    const costCents = (units: number) => Math.round((units * Number(rate.amount) * 100) / rate.perCredits);
    const totalCredits = [...creditsPerMonth.values()].reduce((a, b) => a + b, 0);
    const after = await overviewFigures(page, from, to);
    expect(after.events - before.overview.events).toBe(imported);
    expect(after.spend - before.overview.spend).toBe(costCents(totalCredits));
    await test.step("Allocation: the same cost in the month of each credit event", async () => {
      for (const [month, units] of creditsPerMonth) expect((await allocationTotal(page, month)) - before.allocation.get(month)!).toBe(costCents(units));
    });
  });

  await test.step("Agents: the service agent is billed per outcome, as its latest version says in the org", async () => {
    const { items } = (await (await page.request.get("/api/v1/agents")).json()) as { items: { key: string; billingMode: string | null }[] };
    expect(items.find((a) => a.key === service)?.billingMode).toBe("outcome");
  });

  await test.step("Workload: the agent's two sessions, one escalated", async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/workload?groupBy=agent&from=${day(-5)}&to=${day(0)}`);
    const row = page.getByRole("region", { name: "Workload by group" }).getByRole("row").filter({ hasText: service });
    await expect(row).toBeVisible();
    await expect(row).toContainText("50");
  });
});
