// Finance's month-end through the UI only: a shared agent split 60/40 by a rule written in the rules editor (the
// departments' allocated cost equals 60 %/40 % of the agent's cost to the cent, against SQL over raw events), the
// month closed, the rule changed — the closed month unchanged and the next month carrying the adjustment — then the
// month's chargeback downloaded as Excel and as balanced journal entries, and the month reopened with a reason.
// Its own agent and a mid-2026 month keep it apart from the other journeys' figures.
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { Decimal } from "decimal.js";
import ExcelJS from "exceljs";
import pg from "pg";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

const MONTH = "2026-06";
const NEXT = "2026-07";

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

test("split a shared agent 60/40, close the month, change the rule, download the chargeback", async ({ page }) => {
  test.setTimeout(180_000);
  const agent = `e2e-pool-${Date.now().toString(36)}`;
  await loginAs(page, "admin");

  await test.step("the agent's usage arrives (ingestion API): 182.75 in June, 10.00 in July, booked to Legal", async () => {
    const origin = new URL(page.url()).origin;
    const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name: `e2e ${agent}`, scopes: ["ingest"], mayCreateEntities: true, mayWriteFinalized: true } });
    const { secret } = (await key.json()) as { secret: string };
    const event = (id: string, timestamp: string, amount: string) => ({ id: `${agent}-${id}`, timestamp, agent, department: "LEGAL", type: "agent.action", cost: { amount, currency: "USD" } });
    const ingest = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${secret}` },
      data: { events: [event("a", `${MONTH}-05T10:00:00Z`, "100.25"), event("b", `${MONTH}-09T10:00:00Z`, "82.50"), event("c", `${NEXT}-03T10:00:00Z`, "10.00")] },
    });
    expect(await ingest.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
  });

  await test.step("marking it shared warns which open months change and offers the rule first", async () => {
    await page.goto("/admin/agents");
    await page.getByRole("row", { name: new RegExp(agent) }).getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("form", { name: "Edit agent" });
    await form.getByLabel("Shared across departments").check();
    await form.getByRole("button", { name: "Save changes" }).click();
    const warning = page.getByRole("alertdialog");
    await expect(warning).toContainText(`${MONTH} ($182.75)`);
    await warning.getByRole("link", { name: "Create the rule first" }).click();
    await expect(page).toHaveURL(new RegExp(`/allocation/rules\\?agent=${agent}&from=${MONTH}-01`));
  });

  await test.step("write a 60/40 rule, preview it, save it", async () => {
    const form = page.getByRole("form", { name: "Allocation rule" });
    await expect(form.getByLabel("Agent")).toHaveValue(agent);
    await form.getByLabel("Department 1").selectOption("LEGAL");
    await form.getByLabel("Percent 1").fill("60");
    await form.getByLabel("Department 2").selectOption("HR");
    await form.getByLabel("Percent 2").fill("30");
    await expect(form.getByRole("alert")).toContainText("percentages must sum to 100 (they sum to 90)");
    await form.getByLabel("Percent 2").fill("40");
    await expect(page.getByTestId("percent-total")).toHaveText("Total 100 %");
    await expect(page.getByTestId("preview-row-HR").locator("xpath=ancestor::tr")).toContainText("$73.10");
    await form.getByRole("button", { name: "Save rule" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Save rule" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Rule for ${agent} saved` })).toBeVisible();
  });

  const [row] = await sql<{ cost: string }>("SELECT sum(e.cost)::text AS cost FROM usage_events e JOIN agents a ON a.id = e.agent_id WHERE a.key = $1 AND e.timestamp >= $2 AND e.timestamp < $3", [agent, `${MONTH}-01`, `${NEXT}-01`]);
  const cost = row!.cost;
  const sixty = new Decimal(cost).times(0.6).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  const forty = new Decimal(cost).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).minus(sixty);
  const statementAmount = async (code: string, period: string) => {
    await page.goto(`/allocation/${code}?period=${period}`);
    return page.getByRole("table", { name: "Statement lines" }).getByRole("row", { name: new RegExp(agent) });
  };

  await test.step("Legal and HR carry 60 % and 40 % of the agent's cost to the cent; nothing of it is unallocated", async () => {
    await expect(await statementAmount("LEGAL", MONTH)).toContainText(`$${sixty.toFixed(2)}`);
    await expect(await statementAmount("HR", MONTH)).toContainText(`$${forty.toFixed(2)}`);
    expect([sixty.toFixed(2), forty.toFixed(2)]).toEqual(["109.65", "73.10"]);
    await page.goto(`/allocation?period=${MONTH}`);
    await expect(page.getByTestId("allocation-total")).toBeVisible();
    await expect(page.getByRole("region", { name: "Unallocated cost" }).getByText(agent)).toHaveCount(0);
  });

  await test.step("close June", async () => {
    await page.getByRole("button", { name: "Close month" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: `Close ${MONTH}` }).click();
    await expect(page.getByTestId("month-status")).toContainText("Closed");
  });

  await test.step("a new 50/50 version from 7 June: the preview says June is closed and the change lands in July", async () => {
    await page.goto(`/allocation/rules?agent=${agent}&from=${MONTH}-07`);
    const form = page.getByRole("form", { name: "Allocation rule" });
    await form.getByLabel("Department 1").selectOption("LEGAL");
    await form.getByLabel("Percent 1").fill("50");
    await form.getByLabel("Department 2").selectOption("HR");
    await form.getByLabel("Percent 2").fill("50");
    await expect(page.getByText(`${MONTH} is closed`)).toBeVisible();
    // The 9 June event (82.50) moves from 60/40 to 50/50: HR +8.25 carried into July; July's own 10.00 gives HR +1.00.
    await expect(page.getByTestId("preview-row-HR").locator("xpath=ancestor::tr")).toContainText("$9.25");
    await form.getByRole("button", { name: "Save rule" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Save rule" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Rule for ${agent} saved` })).toBeVisible();
  });

  await test.step("June is unchanged; July's statement shows the adjustment for June", async () => {
    await expect(await statementAmount("HR", MONTH)).toContainText("$73.10");
    await expect(await statementAmount("LEGAL", MONTH)).toContainText("$109.65");
    const july = await statementAmount("HR", NEXT);
    await expect(july.filter({ hasText: `adjustment for ${MONTH}` })).toContainText("$8.25");
  });

  await test.step("map departments to GL accounts", async () => {
    await page.goto("/allocation/gl-accounts");
    await page.getByLabel("Offset account").fill("2990");
    const inputs = page.getByLabel(/^GL account for /);
    const n = await inputs.count();
    for (let i = 0; i < n; i++) await inputs.nth(i).fill(`6${String(i).padStart(3, "0")}`);
    await page.getByRole("button", { name: "Save GL accounts" }).click();
    await expect(page.getByRole("status").filter({ hasText: "GL accounts saved" })).toBeVisible();
  });

  await test.step("download July as Excel and as journal entries: totals match the page; debits equal credits", async () => {
    await page.goto(`/allocation?period=${NEXT}`);
    const pageTotal = (await page.getByTestId("allocation-total").textContent())!.match(/\$([\d,]+\.\d{2})/)![1]!.replaceAll(",", "");
    const unallocated = (await page.getByTestId("allocation-unallocated").textContent())!.match(/(-?)\$([\d,]+\.\d{2})/)!;
    const unallocatedAmount = new Decimal(`${unallocated[1]}${unallocated[2]!.replaceAll(",", "")}`);

    const xlsxDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Excel" }).click();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await (await xlsxDownload).path())!);
    const sheet = book.worksheets[0]!;
    const totalRow = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(3).value === "Total")!;
    expect(new Decimal(String(totalRow.getCell(10).value)).toFixed(2)).toBe(pageTotal);

    const journalDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Journal entries" }).click();
    const lines = parse(fs.readFileSync((await (await journalDownload).path())!, "utf8"), { columns: true }) as Record<string, string>[];
    const debit = lines.reduce((a, l) => a.plus(l.debit!), new Decimal(0));
    const credit = lines.reduce((a, l) => a.plus(l.credit!), new Decimal(0));
    expect(debit.toFixed(2)).toBe(credit.toFixed(2));
    const offset = lines.find((l) => l.account === "2990")!;
    // What departments are charged = the month's total less what stays unallocated.
    expect(new Decimal(offset.credit!).minus(offset.debit!).toFixed(2)).toBe(new Decimal(pageTotal).minus(unallocatedAmount).toFixed(2));
  });

  await test.step("reopen June with a reason", async () => {
    await page.goto(`/allocation?period=${MONTH}`);
    await page.getByRole("button", { name: "Reopen month" }).click();
    const dialog = page.getByRole("dialog", { name: `Reopen ${MONTH}` });
    await dialog.getByLabel("Reason").fill("e2e: the vendor re-issued June");
    await dialog.getByRole("button", { name: `Reopen ${MONTH}` }).click();
    await expect(page.getByTestId("month-status")).toContainText("Open");
    const [audit] = await sql<{ after: { reason: string } }>("SELECT after FROM audit_logs WHERE action = 'allocation_month.reopen' AND entity_id = $1 ORDER BY id DESC LIMIT 1", [MONTH]);
    expect(audit!.after.reason).toBe("e2e: the vendor re-issued June");
  });
});
