// Customer view: finance creates a read-only link on a customer's page; the customer opens it without an account,
// sees its finalized invoice and downloads the PDF (another customer's invoice stays a 404); once revoked, the
// link is a plain "not found".
import { expect, loginAs, test } from "./fixtures";

type Invoice = { id: number; number: string | null; status: string; currency: string; customer: { key: string; name: string } | null; fx: { missing: unknown[] } | null };

test("a customer opens their link and sees their invoice; a revoked link is not found", async ({ page, browser }) => {
  await loginAs(page, "finance");
  const origin = new URL(page.url()).origin;
  const [a, b] = await test.step("two customers with a finalized October invoice", async () => {
    expect((await page.request.post("/api/v1/invoices/drafts", { data: { period: "2026-10" }, headers: { origin } })).status()).toBe(200);
    const { invoices } = (await (await page.request.get("/api/v1/invoices?period=2026-10")).json()) as { invoices: Invoice[] };
    // initech belongs to the FX journey (fx-billing.spec.ts): leave its draft alone.
    const chosen = invoices.filter((i) => i.status !== "void" && i.customer && i.customer.key !== "initech" && i.currency === "USD" && !i.fx?.missing.length).slice(0, 2);
    expect(chosen).toHaveLength(2);
    return Promise.all(
      chosen.map(async (i) => {
        if (i.status === "finalized") return i;
        const res = await page.request.post(`/api/v1/invoices/${i.id}/finalize`, { headers: { origin } });
        expect(res.status()).toBe(200);
        return (await res.json()) as Invoice;
      }),
    );
  });

  const url = await test.step("finance creates a link on the customer's page", async () => {
    await page.goto(`/customers/${encodeURIComponent(a!.customer!.key)}`);
    const card = page.getByRole("region", { name: "Customer view links" });
    await card.getByLabel("For (optional)").fill("Accounts payable");
    await card.getByRole("button", { name: "Create link" }).click();
    return (await card.getByTestId("customer-link-url").innerText()).trim();
  });
  const token = new URL(url).pathname.split("/")[2]!;

  const customer = await browser.newContext(); // no session: the link is the credential
  const view = await customer.newPage();
  await test.step("the customer sees its finalized invoice and downloads the PDF", async () => {
    await view.goto(url);
    await expect(view.getByRole("heading", { level: 1 })).toHaveText(a!.customer!.name);
    await expect(view.getByRole("table", { name: "Invoices" })).toContainText(a!.number!);
    await expect(view.getByRole("table", { name: "Invoices" })).not.toContainText(b!.number!);
    const pdf = await view.request.get(`/c/${token}/invoices/${a!.id}/pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await view.request.get(`/c/${token}/invoices/${b!.id}/pdf`)).status()).toBe(404);
  });

  await test.step("finance revokes the link: it is not found any more", async () => {
    const card = page.getByRole("region", { name: "Customer view links" });
    await card.getByRole("row").filter({ hasText: "Accounts payable" }).first().getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("alertdialog", { name: /Revoke this link/ }).getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Link revoked" })).toBeVisible();
    const res = await view.goto(url);
    expect(res?.status()).toBe(404);
    await expect(view.getByText(/could not be found/i)).toBeVisible();
    await expect(view.getByText(a!.customer!.name)).toHaveCount(0);
    expect((await view.request.get(`/c/${token}/invoices/${a!.id}/pdf`)).status()).toBe(404);
  });
  await customer.close();
});
