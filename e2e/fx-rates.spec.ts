// FX rates (issue 20, foundation): an admin sets a rate and finds it in the table; imports the ECB's daily XML file,
// previewed first, then applied; a bad rate shows the API's message beside its field.
import path from "node:path";
import { expect, loginAs, test } from "./fixtures";

test("an admin sets a rate and imports the ECB daily file", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/admin");
  await page.getByRole("link", { name: "FX rates" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "FX rates" })).toBeVisible();
  const table = page.getByRole("region", { name: "Rates" });
  const filter = async (base: string, quote: string) => {
    const form = page.getByRole("form", { name: "Rate filters" });
    await form.getByLabel("Base").fill(base);
    await form.getByLabel("Quote").fill(quote);
    await form.getByRole("button", { name: "Filter" }).click();
  };

  await test.step("set a rate", async () => {
    const card = page.getByRole("region", { name: "Set a rate" });
    await card.getByLabel("Base").fill("chf");
    await card.getByLabel("Quote").fill("SEK");
    await card.getByLabel("Date").fill("2026-11-20");
    await card.getByLabel("Rate").fill("-2");
    await card.getByRole("button", { name: "Save rate" }).click();
    await expect(card.getByText("must not be negative")).toBeVisible();
    await card.getByLabel("Rate").fill("12.1755");
    await card.getByRole("button", { name: "Save rate" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Rate saved" })).toBeVisible();
    await filter("CHF", "SEK");
    await expect(table.getByRole("row", { name: /2026-11-20/ })).toContainText("1 CHF = 12.1755 SEK");
  });

  await test.step("import the ECB's daily XML: preview, then apply", async () => {
    const card = page.getByRole("region", { name: "Import rates" });
    await card.getByLabel("Format").selectOption("ecb-xml");
    await card.getByLabel("File").setInputFiles(path.join(__dirname, "../tests/fixtures/ecb/eurofxref-daily.xml"));
    await expect(card.getByRole("button", { name: "Apply" })).toBeDisabled();
    await card.getByRole("button", { name: "Preview" }).click();
    await expect(card.getByRole("status")).toContainText("17 rates from 2026-11-27 to 2026-11-27");
    await card.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Rates imported" })).toBeVisible();
    await filter("EUR", "JPY");
    await expect(table.getByRole("row", { name: /2026-11-27/ })).toContainText("1 EUR = 161.23 JPY");
  });
});
