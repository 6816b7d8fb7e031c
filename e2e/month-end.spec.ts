// The month-end run (issue 25): finance generates a month's drafts, narrows the list, bulk-finalizes every draft
// matching after a confirmation summary, and emails the finalized invoices (PDF attached) to a real SMTP server
// listening where the e2e app sends mail (tests/helpers/e2e-server.ts); the list then shows them as sent, and one
// sent invoice gets a credit note (Credited, Balance due).
import { simpleParser, type ParsedMail } from "mailparser";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

const PERIOD = "2026-09";
const dollars = (text: string) => Number(text.replace(/[$,]/g, ""));
const received: { to: string[]; mail: ParsedMail }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream).then((mail) => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
      callback();
    }, callback);
  },
});

test.beforeAll(async () => {
  const port = Number(process.env.TEST_E2E_SMTP_PORT ?? Number(process.env.TEST_E2E_PORT ?? 3100) + 1000);
  await new Promise<void>((resolve) => smtp.listen(port, "127.0.0.1", resolve));
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  await client.query("UPDATE customers SET billing_email = key || '@customers.test' WHERE billing_email IS NULL");
  await client.end();
});

test.afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

test("finance bulk-finalizes a month's drafts after a summary and sends them", async ({ page }) => {
  await loginAs(page, "finance");
  await page.goto(`/invoices?period=${PERIOD}`);

  await test.step("generate the month's drafts and filter to them", async () => {
    await page.getByRole("button", { name: `Generate drafts for ${PERIOD}` }).click();
    // Rating takes a few seconds on a loaded machine: filter once the drafts exist (a filter change mid-run re-renders the list).
    await expect(page.getByTestId("toast-success").filter({ hasText: "Draft invoices generated" })).toBeVisible({ timeout: 30_000 });
    await page.getByLabel("Status", { exact: true }).selectOption("draft");
    await expect(page).toHaveURL(/status=draft/);
    // Other journeys bill some customers in other currencies (fx-billing: GBP); this run takes the USD ones.
    await page.getByLabel("Currency", { exact: true }).selectOption("USD");
    await expect(page).toHaveURL(/currency=USD/);
    await expect(page.getByRole("link", { name: /Draft #\d+/ }).first()).toBeVisible();
    await expect(page.getByTestId("invoice-totals")).toContainText(/^\d+ invoices? match · USD \S+ \(\d+\)$/);
  });

  const drafts = await page.getByRole("link", { name: /Draft #\d+/ }).count();

  await test.step("search narrows the list on the server", async () => {
    const first = (await page.locator("tbody tr").first().getByRole("link").nth(1).innerText()).trim();
    await page.getByLabel("Search invoices").fill(first.slice(0, 5));
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=/);
    await expect(page.locator("tbody tr").first()).toContainText(first);
    await page.getByLabel("Search invoices").fill("");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByRole("link", { name: /Draft #\d+/ })).toHaveCount(drafts);
  });

  await test.step("bulk finalize: the summary first, then the result", async () => {
    await page.getByRole("button", { name: `Finalize all drafts of ${PERIOD} matching the filters` }).click();
    const dialog = page.getByRole("dialog", { name: "Finalize these invoices?" });
    await expect(dialog.getByTestId("bulk-finalize-summary")).toContainText(`${drafts} of ${drafts} can be finalized`);
    await dialog.getByRole("button", { name: `Finalize ${drafts} invoice` }).click();
    const result = page.getByRole("dialog", { name: "Bulk finalize: result" });
    await expect(result).toContainText(`Finalized ${drafts}, failed 0`);
    const numbers = (await result.getByTestId("bulk-finalized").innerText()).match(/INV-\d{6}/g)!.map((n) => Number(n.slice(4)));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i)); // consecutive, in order
    await result.getByRole("button", { name: "Close" }).first().click();
  });

  await test.step("send the unsent finalized invoices: each customer gets its PDF", async () => {
    // Each filter is a navigation: the next one is chosen once the URL has the previous one.
    await page.getByLabel("Status", { exact: true }).selectOption("finalized");
    await expect(page).toHaveURL(/status=finalized/);
    await page.getByLabel("Sent", { exact: true }).selectOption("no");
    await expect(page).toHaveURL(/sent=no/);
    await expect(page.getByRole("link", { name: /INV-\d{6}/ })).toHaveCount(drafts);
    await page.getByRole("button", { name: "Select unsent finalized" }).click();
    await page.getByRole("button", { name: `Send ${drafts} selected` }).click();
    await expect(page.getByTestId("send-report")).toContainText(`Sent ${drafts}.`);
    expect(received.length).toBeGreaterThanOrEqual(drafts);
    const last = received.at(-1)!;
    expect(last.to[0]).toMatch(/@customers\.test$/);
    expect(last.mail.attachments[0]?.contentType).toBe("application/pdf");
    await expect(page.getByRole("link", { name: /INV-\d{6}/ })).toHaveCount(0); // none left unsent
    await page.getByLabel("Sent", { exact: true }).selectOption("yes");
    await expect(page).toHaveURL(/sent=yes/);
    await expect(page.getByRole("link", { name: /INV-\d{6}/ })).toHaveCount(drafts);
  });

  await test.step("a sent invoice is corrected with a credit note: it shows Credited and Balance due", async () => {
    await page.getByRole("link", { name: /INV-\d{6}/ }).first().click();
    await expect(page).toHaveURL(/\/invoices\/\d+/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/INV-\d{6}/);
    const number = /INV-\d{6}/.exec(await page.getByRole("heading", { level: 1 }).innerText())![0];
    const total = dollars(await page.getByTestId("invoice-total").innerText());
    const form = page.getByRole("region", { name: "Issue a credit note" });
    await form.getByLabel("Amount (USD)").fill("1.00");
    await form.getByLabel("Reason").fill("Month-end review: one action billed twice");
    await form.getByRole("button", { name: "Issue credit note" }).click();
    await page.getByRole("alertdialog", { name: new RegExp(`Credit \\$1\\.00 on ${number}`) }).getByRole("button", { name: "Issue credit note" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Credit note issued" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Credit notes" })).toContainText("Month-end review: one action billed twice");
    await expect(page.getByTestId("invoice-credited")).toHaveText("$1.00");
    await expect.poll(async () => dollars(await page.getByTestId("invoice-balance-due").innerText())).toBeCloseTo(total - 1, 2);
    // Sent: corrections are credit notes from now on, so there is no Void.
    await expect(page.getByRole("button", { name: "Void" })).toHaveCount(0);
  });
});
