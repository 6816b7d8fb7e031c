// FOCUS import (issue 22): an admin picks a Parquet billing export on the Import page's FOCUS tab, sees how its rows
// map (read in the browser), imports it, follows the background job to the end and finds the spend on Usage grouped
// by provider. The file is written here with hyparquet-writer: Oracle Cloud's Generative AI rows, dated two days
// ago (inside Usage's default range), in a billing account no other test uses.
import { parquetWriteBuffer } from "hyparquet-writer";
import { expect, loginAs, test } from "./fixtures";

const COLUMNS = [
  "BillingAccountId", "BillingCurrency", "BillingPeriodStart", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory",
  "BilledCost", "EffectiveCost", "ServiceCategory", "ServiceName", "ServiceProviderName", "ResourceName", "SkuId", "Tags",
] as const;

function ociParquet(): Buffer {
  const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const row = (resource: string, cost: string, sku: string) => ({
    BillingAccountId: "ocid1.tenancy.oc1..e2e-focus", BillingCurrency: "USD", BillingPeriodStart: `${day.slice(0, 8)}01T00:00:00Z`,
    ChargePeriodStart: `${day}T10:00:00Z`, ChargePeriodEnd: `${day}T11:00:00Z`, ChargeCategory: "Usage", BilledCost: cost, EffectiveCost: cost,
    ServiceCategory: "AI and Machine Learning", ServiceName: "OCI Generative AI", ServiceProviderName: "Oracle", ResourceName: resource, SkuId: sku,
    Tags: JSON.stringify({ agent: resource }),
  });
  const rows = [row("oci-summarizer", "12.34", "B108077"), row("oci-summarizer", "0.66", "B108078"), { ...row("oci-compute", "5.00", "B91962"), ServiceCategory: "Compute", ServiceName: "Compute" }];
  const columnData = COLUMNS.map((name) => ({ name, data: rows.map((r) => r[name]), type: "STRING" as const }));
  return Buffer.from(parquetWriteBuffer({ columnData }));
}

test("an admin imports a FOCUS Parquet export and sees its spend on Usage by provider", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/import");
  await page.getByRole("tab", { name: "FOCUS billing export" }).click();

  await test.step("choose the file: the preview shows how its rows map", async () => {
    await page.getByLabel("FOCUS file to import").setInputFiles({ name: "oci-export.parquet", mimeType: "application/vnd.apache.parquet", buffer: ociParquet() });
    const preview = page.getByRole("region", { name: "How the first rows of oci-export.parquet map" });
    await expect(preview.getByRole("row").filter({ hasText: "12.34 USD" })).toContainText("imported");
    await expect(preview.getByRole("row").filter({ hasText: "12.34 USD" })).toContainText("oci-summarizer");
    await expect(preview.getByRole("row").filter({ hasText: "Compute" })).toContainText("skipped (not AI)");
  });

  await test.step("import it: the job runs to the end", async () => {
    await page.getByRole("button", { name: "Import oci-export.parquet" }).click();
    // A retry imports the same rows again: they count once (duplicates), the job still succeeds.
    await expect(page.getByRole("status").filter({ hasText: "rows read" })).toContainText(/succeeded: 3 rows read \(100 % of the file\)/, { timeout: 30_000 });
    await expect(page.getByRole("status").filter({ hasText: "rows read" })).toContainText("1 rows not AI");
  });

  await test.step("the spend is on Usage, grouped by provider", async () => {
    await page.goto("/usage?groupBy=provider&top=50");
    const oracle = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Oracle", exact: true }) });
    await expect(oracle).toContainText("13.00");
    await oracle.getByRole("link", { name: "Oracle", exact: true }).click();
    await expect(page).toHaveURL(/provider=Oracle/);
    await expect(page.getByRole("row").filter({ has: page.getByRole("link", { name: "oci-summarizer" }) })).toContainText("13.00");
  });
});
